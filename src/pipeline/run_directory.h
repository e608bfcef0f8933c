#pragma once

#include <ostream>

#include "pipeline/model_file.h"
#include "pipeline/run_model.h"
#include "runtime/session.h"

namespace edgeport {

// `run` over every image directly inside request.input: one line per image
// on `out` and, with request.csv, one row each. An image that cannot be read
// is named on `err` in one line and marked in the CSV's "error" column; the
// others are still scored and the CSV still written. Then, if any image
// failed, an Error counting them.
void run_directory(const RunRequest& request, const LoadedModel& model, const Session& session, std::ostream& out,
                   std::ostream& err);

}  // namespace edgeport
