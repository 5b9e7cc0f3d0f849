// The Chrome trace-event export (`sasim run --trace FILE`): a recorded run as
// JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// One process; one track (thread) per actor, plus one for the harness and,
// when the scenario's steps are given, a "harness steps" track with each step
// as a slice. Every dispatched event is an instant on its actor's track and
// every note an instant in category "note"; a flow arrow runs from each
// event to each event it scheduled.
//
// Names are what things are, the same for every event of a kind, so that a
// viewer's grouping by name works: "message: GET serviceaccounts",
// "timer: client rate limit", "message: watch MODIFIED secret". What tells
// one from another (namespace, name, resourceVersion, user, the full text)
// is in the event's args.
//
// Slices (complete events), each on lanes of its own kind so that slices on
// a track never overlap (a second concurrent one opens "... #2"):
// - a request (a message answered by a reply) from its send to the reply's
//   arrival on the caller's "requests" lanes, named by the request
//   ("GET serviceaccounts");
// - the server's work on it on the server's "serving" lanes, named
//   "serve GET serviceaccounts" (so the two never share a name);
// - every labelled wait (a timer: client rate limit, retry backoff, sync
//   CPU, pod start...) from when it was set to when it fired, on the waiting
//   actor's "waits" lanes, named by its category.
// Timestamps are microseconds of simulated time.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/recorded_trace.h"
#include "reports/run_record.h"

namespace sasim::reports {

// Writes the document to `out` event by event; `title` names the process
// (the scenario's name). `steps`, when given, become the harness steps track.
void write_chrome_trace(const RecordedTrace& trace, const std::string& title, std::ostream& out,
                        const std::vector<StepRecord>* steps = nullptr);
// The same document, parsed (for tests and small traces).
nlohmann::json render_chrome_trace(const RecordedTrace& trace, const std::string& title,
                                   const std::vector<StepRecord>* steps = nullptr);

}  // namespace sasim::reports
