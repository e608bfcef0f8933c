#pragma once

#include <string>

namespace edgeport {

// This process as "<host>-<boot id>-<pid>-<start time>": a name that stays
// unique when the pid is reused, after a reboot, and between machines or
// containers that share a folder. Folders named after it can be recognised as
// left behind once their process is gone. Read from /proc on each call, so a
// forked child has its own; an Error when /proc cannot be read.
std::string process_identity();

// Whether the process named by `identity` (process_identity() of any run) has
// certainly ended: the same host, and an earlier boot, no process with that
// pid, or one with that pid started at another time. A name of another host
// or one that does not parse has not ended as far as this process can tell.
// A bare pid, as edgeport 0.1.0 named its staging folders, has ended when no
// process has that pid.
bool process_has_ended(const std::string& identity);

}  // namespace edgeport
