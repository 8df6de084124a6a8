#include "driver/ProcessGuard.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <vector>

namespace fs = std::filesystem;

namespace netsep::driver {

namespace {

std::mutex gMutex;
std::atomic<bool> gInterrupted{false};
std::vector<std::string>& temporaries() {
    static std::vector<std::string> paths;
    return paths;
}

std::vector<std::pair<int, std::function<void()>>>& cleanups() {
    static std::vector<std::pair<int, std::function<void()>>> list;
    return list;
}

void runCleanups() {
    for (auto& [handle, undo] : cleanups())
        undo();
    cleanups().clear();
}

// Removes every registered temporary; with gMutex held. A writer may still
// be adding files to a directory being removed, so the removal is retried.
void removeTemporaries() {
    for (const std::string& path : temporaries()) {
        std::error_code ec;
        for (int attempt = 0;
             attempt < 10 && fs::symlink_status(path, ec).type() != fs::file_type::not_found;
             ++attempt)
            fs::remove_all(path, ec);
    }
    temporaries().clear();
}

void writeStderr(const char* text) {
    size_t n = std::strlen(text);
    while (n > 0) {
        ssize_t w = ::write(STDERR_FILENO, text, n);
        if (w <= 0)
            return;
        text += w;
        n -= size_t(w);
    }
}

std::atomic<char*> gReserve{nullptr};

void onAllocationFailure() {
    if (char* reserve = gReserve.exchange(nullptr)) {
        delete[] reserve; // enough to report the error and clean up
        return;           // operator new retries
    }
    throw std::bad_alloc();
}

[[noreturn]] void onTerminate() {
    bool outOfMemory = false;
    if (std::exception_ptr e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const std::bad_alloc&) {
            outOfMemory = true;
        } catch (...) {
        }
    }
    {
        std::unique_lock<std::mutex> lock(gMutex, std::try_to_lock);
        if (lock.owns_lock()) {
            runCleanups();
            removeTemporaries();
        }
    }
    if (outOfMemory) {
        writeStderr("netsep: error: ");
        writeStderr(kOutOfMemoryMessage);
        writeStderr("\n");
        ::_exit(2);
    }
    writeStderr("netsep: internal error: terminated\n");
    ::_exit(3);
}

sigset_t handledSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

void* waitForSignal(void* arg) {
    sigset_t set = *static_cast<sigset_t*>(arg);
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    {
        // Writers stop at their next file (stopIfInterrupted).
        gInterrupted.store(true);
        // Held until the process ends: a rename that publishes an output
        // either happened before the cleanup or never happens.
        gMutex.lock();
        runCleanups();
        removeTemporaries();
    }
    // End with the signal itself, so the parent sees how the run ended.
    ::signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    ::raise(sig);
    ::_exit(128 + sig);
    return nullptr;
}

} // namespace

void installProcessGuards() {
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    gReserve = new char[1 << 20];
    std::set_new_handler(onAllocationFailure);
    std::set_terminate(onTerminate);
    sigset_t set = handledSignals();
    // Blocked here, so every thread started later inherits the mask and the
    // signal thread alone receives them.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A small stack: the thread only waits and removes a few paths, and
    // under a memory limit (ulimit -v) every reserved megabyte counts.
    static sigset_t waited = set;
    pthread_attr_t attr;
    pthread_t thread;
    bool started = pthread_attr_init(&attr) == 0 &&
                   pthread_attr_setstacksize(&attr, 256 << 10) == 0 &&
                   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                   pthread_create(&thread, &attr, waitForSignal, &waited) == 0;
    pthread_attr_destroy(&attr);
    if (!started)
        pthread_sigmask(SIG_UNBLOCK, &set, nullptr); // as without the guard
}

void stopIfInterrupted() {
    if (!gInterrupted.load())
        return;
    // The signal thread ends the process; this thread only waits for it.
    for (;;)
        ::pause();
}

void registerTemporary(const std::string& path) {
    std::lock_guard<std::mutex> lock(gMutex);
    registerTemporaryLocked(path);
}

void unregisterTemporary(const std::string& path) {
    std::lock_guard<std::mutex> lock(gMutex);
    unregisterTemporaryLocked(path);
}

std::unique_lock<std::mutex> temporariesLock() {
    return std::unique_lock<std::mutex>(gMutex);
}

int registerInterruptCleanup(std::function<void()> undo) {
    static int next = 0;
    std::lock_guard<std::mutex> lock(gMutex);
    cleanups().emplace_back(++next, std::move(undo));
    return next;
}

void unregisterInterruptCleanup(int handle) {
    std::lock_guard<std::mutex> lock(gMutex);
    auto& v = cleanups();
    v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& c) { return c.first == handle; }),
            v.end());
}

void registerTemporaryLocked(const std::string& path) {
    temporaries().push_back(path);
}

void unregisterTemporaryLocked(const std::string& path) {
    auto& v = temporaries();
    v.erase(std::remove(v.begin(), v.end(), path), v.end());
}

} // namespace netsep::driver
