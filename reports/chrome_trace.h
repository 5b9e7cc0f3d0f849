// The Chrome trace-event export (`sasim run --trace FILE`): a recorded run as
// JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// One process; one track (thread) per actor, plus one for the harness. Every
// dispatched event is an instant on its actor's track and every note an
// instant in category "note"; a flow arrow runs from each event to each
// event it scheduled. A request (a message answered by a reply) is a complete
// slice from its send to the reply's arrival on a "requests" track of the
// caller, and the time the server took is a slice on a "serving" track of the
// server; overlapping requests of one actor go to extra tracks of that kind,
// so slices on a track never overlap. Timestamps are microseconds of
// simulated time.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/recorded_trace.h"

namespace sasim::reports {

// Writes the document to `out` event by event; `title` names the process
// (the scenario's name).
void write_chrome_trace(const RecordedTrace& trace, const std::string& title, std::ostream& out);
// The same document, parsed (for tests and small traces).
nlohmann::json render_chrome_trace(const RecordedTrace& trace, const std::string& title);

}  // namespace sasim::reports
