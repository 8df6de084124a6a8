#pragma once
#include <string>

namespace netsep::deploy {

// An exclusive flock(2) on a file, held while the object lives. The
// descriptor is close-on-exec, so the tools netsep runs never inherit it.
class FileLock {
public:
    FileLock() = default;
    ~FileLock();
    FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    FileLock& operator=(FileLock&& o) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    // Waits up to `timeoutMs` (0: does not wait). false with `error` set
    // when the lock is held elsewhere ("busy") or the file cannot be opened.
    bool acquire(const std::string& path, int timeoutMs, std::string& error);
    bool held() const { return fd_ >= 0; }
    void release();

    // Whether some process holds the lock on `path` right now.
    static bool heldElsewhere(const std::string& path);

private:
    int fd_ = -1;
};

} // namespace netsep::deploy
