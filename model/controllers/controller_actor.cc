#include "model/controllers/controller_actor.h"

namespace sasim::model::controllers {

ControllerActor::ControllerActor(ControllerOptions options)
    : client::ClientActor(options.client), options_(std::move(options)) {}

ControllerActor::~ControllerActor() = default;

std::size_t ControllerActor::queue_depth() const {
  std::size_t depth = 0;
  for (const auto& queue : queues_) depth += queue->depth();
  return depth;
}

void ControllerActor::start() { start_informers(); }

void ControllerActor::on_synced() {
  for (auto& queue : queues_) queue->start_workers();
}

void ControllerActor::handle_client_timer(std::uint64_t tag) {
  const std::size_t index = static_cast<std::size_t>(tag >> 1);
  SIM_CHECK(index < queues_.size(), "controller timer for no queue");
  queues_[index]->on_timer((tag & 1) == 0);
}

void ControllerActor::on_crash_reset() {
  for (auto& queue : queues_) queue->reset();
}

}  // namespace sasim::model::controllers
