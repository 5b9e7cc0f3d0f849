// Scenario faults (scenarios::Fault, as parsed) to the model's fault specs.
#pragma once

#include "model/faults/fault_spec.h"
#include "scenarios/scenario.h"

namespace sasim::tools {

model::faults::FaultSpec to_model_fault(const scenarios::Fault& fault);

}  // namespace sasim::tools
