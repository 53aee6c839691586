// SIGINT, SIGTERM, SIGHUP and SIGQUIT for the whole life of a run: the first one is remembered and ends the
// run early; none of them (a second Ctrl-C included) cuts short the cleanup that follows. Installed once,
// never removed.
#pragma once

namespace conformance::interrupts {

void install();
// The first stop signal received, or 0.
int received();
// Readable once a stop signal has arrived: an event loop can wait on it next to its pipes.
int fd();

}  // namespace conformance::interrupts
