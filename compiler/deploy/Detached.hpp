#pragma once
#include <string>
#include <sys/types.h>
#include <vector>

namespace netsep::deploy {

// Starts `argv` (argv[0] an absolute path) as a daemon that outlives the
// calling command and its terminal: a new session, re-parented to init
// (double fork), standard streams on /dev/null, working directory /. The
// literal argument "{ready-fd}" in argv is replaced by the number of a
// descriptor the daemon must write one line to ("<pid>\n") once it is
// ready. Waits up to `readyTimeoutMs` for that line. Returns the daemon's
// pid, or -1 with `error` set; a daemon that started but never reported
// must find out by itself that it is not wanted (the confirm timer does:
// it exits when its pending record is gone).
pid_t startDetached(std::vector<std::string> argv, int readyTimeoutMs, std::string& error);

// Writes "<pid>\n" to the descriptor given as "{ready-fd}" and closes it.
void signalReady(int readyFd);

} // namespace netsep::deploy
