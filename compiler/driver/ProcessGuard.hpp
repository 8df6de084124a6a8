#pragma once
#include <functional>
#include <mutex>
#include <string>

namespace netsep::driver {

// What the process does when it is interrupted or runs out of memory, so
// that neither leaves a temporary output behind nor ends in an internal
// error:
// - SIGINT, SIGTERM and SIGHUP are received by one thread (sigwait), which
//   removes every registered temporary and then ends the process with the
//   same signal (exit status 128 + signal for the shell).
// - Out of memory: a reserve of memory is released at the first failed
//   allocation, so the error can still be reported; the next failure
//   throws std::bad_alloc, which the command line turns into exit 2 with
//   kOutOfMemoryMessage. Where it cannot be caught (a noexcept function),
//   the terminate handler removes the temporaries and exits 2 the same way.
// (SIGKILL cannot be handled: its temporaries are removed by the next run,
// OutputWriter.)
//
// Call installProcessGuards() once, before any other thread is started.
void installProcessGuards();

inline constexpr const char* kOutOfMemoryMessage =
    "out of memory (the policy needs more memory than this process may use; raise the limit "
    "or split the policy)";

// Temporary files and directories to remove on an interruption. Hold
// temporariesLock() across a step that must not be cut by the cleanup
// (the rename that publishes an output, then the unregistering).
void registerTemporary(const std::string& path);
void unregisterTemporary(const std::string& path);
std::unique_lock<std::mutex> temporariesLock();
// Writers call this before they create a file or directory inside a
// temporary: once an interruption's cleanup has begun it never returns (the
// process is ending), so each writer adds at most one entry after the
// cleanup started and the cleanup's retries converge.
void stopIfInterrupted();
// Other things to undo on an interruption (the drill's network namespaces):
// `undo` runs on the signal thread, before the temporaries are removed.
// Returns a handle for unregisterInterruptCleanup.
int registerInterruptCleanup(std::function<void()> undo);
void unregisterInterruptCleanup(int handle);
// Registration while temporariesLock() is held by the caller.
void registerTemporaryLocked(const std::string& path);
void unregisterTemporaryLocked(const std::string& path);

} // namespace netsep::driver
