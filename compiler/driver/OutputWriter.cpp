#include "driver/OutputWriter.hpp"

#include "driver/ProcessGuard.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace netsep::driver {

namespace {

// `sync`: fsync before returning. A whole output directory is synced once
// with syncfs() before it is renamed into place instead (see commit()):
// an fsync per file made writing hundreds of configs wait on the disk
// hundreds of times.
std::string writeFile(const fs::path& path, const std::string& content, bool sync) {
    // O_EXCL|O_NOFOLLOW: never write through a planted file or symlink.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return path.string() + ": " + std::strerror(errno);
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::string err = path.string() + ": " + std::strerror(errno);
            ::close(fd);
            return err;
        }
        done += size_t(n);
    }
    if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0)
        return path.string() + ": " + std::strerror(errno);
    return {};
}

// Flushes everything written under `dir` (its whole file system) to disk.
std::string syncTree(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return dir.string() + ": " + std::strerror(errno);
    const int rc = ::syncfs(fd);
    const int err = errno;
    ::close(fd);
    return rc == 0 ? std::string() : dir.string() + ": " + std::strerror(err);
}

// Makes a rename in `dir` durable.
void syncDirectory(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool safeRelative(const std::string& rel) {
    fs::path p(rel);
    if (p.is_absolute() || rel.empty())
        return false;
    for (const auto& part : p)
        if (part == ".." || part == ".")
            return false;
    return true;
}

// Temporaries are named ".NAME.netsep-XXXXXX" beside NAME. Each is locked
// (flock) by the process writing it for as long as it exists, so a
// temporary whose lock can be taken belongs to a process that is gone
// (killed outright, SIGKILL): it is removed by the next run that writes
// NAME. The lock is released by the kernel when its holder dies.
std::string temporaryPrefix(const fs::path& target) {
    return "." + target.filename().string() + ".netsep-";
}

std::string temporaryTemplate(const fs::path& dir, const fs::path& target) {
    return (dir / (temporaryPrefix(target) + "XXXXXX")).string();
}

bool isTemporaryName(const std::string& name, const std::string& prefix) {
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0)
        return false;
    for (size_t i = prefix.size(); i < name.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

// Removes the temporaries of `target` in `dir` that no live process holds.
void removeStaleTemporaries(const fs::path& dir, const fs::path& target) {
    const std::string prefix = temporaryPrefix(target);
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return;
    std::vector<std::string> stale;
    while (const dirent* e = ::readdir(d)) {
        if (!isTemporaryName(e->d_name, prefix))
            continue;
        const fs::path path = dir / e->d_name;
        // O_NOFOLLOW|O_NONBLOCK: a planted symlink or FIFO is never followed
        // or waited for, only regular files and directories qualify.
        int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) &&
            ::flock(fd, LOCK_EX | LOCK_NB) == 0)
            stale.push_back(path.string());
        ::close(fd);
    }
    ::closedir(d);
    for (const auto& path : stale) {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
}

// Takes `fd`'s lock for the life of the descriptor; false if another
// process holds it.
bool lockFor(int fd) {
    return ::flock(fd, LOCK_EX | LOCK_NB) == 0;
}

} // namespace

// Writes the file system's dirty pages back while the files are still being
// emitted, a syncfs() every quarter second on its own thread, so the disk
// works alongside the emitters and the syncfs() at commit only waits for the
// last files (at 100,000 rules and six backends, 660 MiB: that wait was
// 0.7 s, all of it after the last file was written).
class OutputDirectory::Flusher {
public:
    explicit Flusher(const fs::path& dir)
        : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        // Only a speed-up: without a thread (resource limits) the commit's
        // syncfs() does all the work, as before.
        if (fd_ >= 0) {
            try {
                thread_ = std::thread([this] { run(); });
            } catch (const std::system_error&) {
            }
        }
    }
    ~Flusher() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable())
            thread_.join();
        if (fd_ >= 0)
            ::close(fd_);
    }
    Flusher(const Flusher&) = delete;
    Flusher& operator=(const Flusher&) = delete;

private:
    void run() {
        std::unique_lock<std::mutex> lock(m_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
            lock.unlock();
            ::syncfs(fd_); // errors surface in the syncfs() at commit
            lock.lock();
        }
    }

    int fd_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

OutputDirectory::OutputDirectory(std::string dir) : dirArg_(std::move(dir)) {}

void OutputDirectory::stopFlusher() {
    flusher_.reset();
}

OutputDirectory::~OutputDirectory() {
    stopFlusher();
    if (!tmp_.empty() && !committed_) {
        std::error_code ec;
        fs::remove_all(tmp_, ec); // a failed compile leaves `dir` as it was
        unregisterTemporary(tmp_.string());
    }
    if (tmpFd_ >= 0)
        ::close(tmpFd_);
    releaseLock();
}

// One writer per output at a time: a lock file ".NAME.netsep-lock" beside
// NAME, flock'ed for the whole run and removed at its end. A run that finds
// it held exits with an error instead of racing (both runs would otherwise
// succeed, the later one silently replacing the earlier one's output).
std::string OutputDirectory::acquireLock(const fs::path& parent) {
    lockPath_ = parent / (temporaryPrefix(dir_) + "lock");
    for (int attempt = 0; attempt < 100; ++attempt) {
        // Creating, locking and registering the file are one step for an
        // interruption's cleanup (ProcessGuard): a signal between them would
        // leave the file behind. flock is non-blocking here.
        auto guard = temporariesLock();
        int fd = ::open(lockPath_.c_str(),
                        O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd < 0)
            return "cannot create the lock file '" + lockPath_.string() +
                   "': " + std::strerror(errno);
        struct stat held {
        }, named{};
        if (::fstat(fd, &held) != 0 || !S_ISREG(held.st_mode)) {
            ::close(fd);
            return "'" + lockPath_.string() + "' is not a regular file; remove it";
        }
        if (!lockFor(fd)) {
            const int err = errno;
            ::close(fd);
            if (err == EWOULDBLOCK)
                return "another netsep process is writing '" + dir_.string() +
                       "'; nothing was written (run again when it has finished)";
            return "cannot lock '" + lockPath_.string() + "': " + std::strerror(err);
        }
        // The previous holder removes the file when it is done: a lock on a
        // file no longer under that name locks nothing.
        if (::lstat(lockPath_.c_str(), &named) == 0 && named.st_dev == held.st_dev &&
            named.st_ino == held.st_ino) {
            lockFd_ = fd;
            registerTemporaryLocked(lockPath_.string());
            return {};
        }
        ::close(fd);
    }
    return "cannot lock '" + lockPath_.string() + "'";
}

void OutputDirectory::releaseLock() {
    if (lockFd_ < 0)
        return;
    ::unlink(lockPath_.c_str()); // before the lock is released, see acquireLock
    unregisterTemporary(lockPath_.string());
    ::close(lockFd_);
    lockFd_ = -1;
}

std::string OutputDirectory::prepare() {
    if (prepared_)
        return error_;
    prepared_ = true;
    std::error_code ec;
    dir_ = fs::path(dirArg_).lexically_normal();
    if (dir_.filename().empty())
        dir_ = dir_.parent_path();
    fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (!fs::is_directory(parent, ec))
        return error_ = "cannot create the output directory's parent '" + parent.string() + "'";
    if (std::string err = acquireLock(parent); !err.empty())
        return error_ = err;
    removeStaleTemporaries(parent, dir_);

    auto status = fs::symlink_status(dir_, ec);
    exists_ = !ec && fs::exists(status);
    if (exists_) {
        if (!fs::is_directory(status))
            return error_ = "'" + dir_.string() + "' exists and is not a directory";
        bool empty = fs::is_empty(dir_, ec);
        if (!empty && !fs::exists(dir_ / kOutputMarker, ec))
            return error_ = "'" + dir_.string() +
                            "' is not empty and was not written by netsep; refusing to replace it";
    }

    std::string tmpl = temporaryTemplate(parent, dir_);
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    {
        // Created and registered in one step, so an interruption never
        // leaves it behind.
        auto guard = temporariesLock();
        if (!::mkdtemp(buf.data()))
            return error_ = "cannot create a temporary directory in '" + parent.string() +
                            "': " + std::strerror(errno);
        tmp_ = buf.data();
        registerTemporaryLocked(tmp_.string());
    }
    tmpFd_ = ::open(tmp_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (tmpFd_ < 0 || !lockFor(tmpFd_))
        return error_ = "cannot lock the temporary directory '" + tmp_.string() + "'";
    flusher_ = std::make_unique<Flusher>(tmp_);
    // The marker first, then the files.
    return error_ = writeFile(tmp_ / kOutputMarker,
                              "This directory is written by netsep; it is replaced on every "
                              "compile.\n",
                              false);
}

std::string OutputDirectory::add(const std::string& rel, const std::string& content) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!prepare().empty())
            return error_;
        if (rel == kOutputMarker)
            return {}; // the marker is netsep's own
        if (!safeRelative(rel))
            return error_ = "internal error: unsafe output path '" + rel + "'";
        ++files_;
    }
    // Files of different paths are written concurrently. Directories are
    // made through the temporary's descriptor: once an interruption's
    // cleanup (ProcessGuard) has removed the temporary, making one fails
    // instead of bringing the temporary's path back.
    fs::path target = tmp_ / rel;
    std::string err;
    fs::path made;
    for (const fs::path& part : fs::path(rel).parent_path()) {
        made /= part;
        stopIfInterrupted();
        if (::mkdirat(tmpFd_, made.c_str(), 0755) != 0 && errno != EEXIST) {
            err = (tmp_ / made).string() + ": " + std::strerror(errno);
            break;
        }
    }
    if (err.empty()) {
        stopIfInterrupted();
        err = writeFile(target, content, false);
    }
    if (!err.empty()) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (error_.empty())
            error_ = err;
    }
    return err;
}

size_t OutputDirectory::files() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return files_;
}

std::string OutputDirectory::commit() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!prepare().empty())
        return error_;
    std::error_code ec;
    ::chmod(tmp_.c_str(), 0755);
    stopFlusher();
    // Every file on disk before the directory appears under its name.
    if (std::string err = syncTree(tmp_); !err.empty())
        return error_ = "cannot write '" + dir_.string() + "': " + err;
    const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
    // The publishing rename and the unregistering are one step for an
    // interruption's cleanup (ProcessGuard).
    auto guard = temporariesLock();
    if (!exists_) {
        if (::rename(tmp_.c_str(), dir_.c_str()) != 0)
            return error_ =
                       "cannot move output into '" + dir_.string() + "': " + std::strerror(errno);
        committed_ = true;
        unregisterTemporaryLocked(tmp_.string());
        guard.unlock();
        syncDirectory(parent);
        return {};
    }
    // Swap old and new in one step, then delete the old tree (now at tmp,
    // still registered: an interruption removes it just the same).
    if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0)
        return error_ = "cannot replace '" + dir_.string() + "': " + std::strerror(errno);
    committed_ = true;
    guard.unlock();
    syncDirectory(parent);
    fs::remove_all(tmp_, ec);
    unregisterTemporary(tmp_.string());
    return {};
}

std::string writeOutputDirectory(const std::string& dir, const FileSet& files) {
    OutputDirectory out(dir);
    for (const auto& [rel, content] : files)
        if (std::string err = out.add(rel, content); !err.empty())
            return err;
    return out.commit();
}

namespace {

bool underSystemDirectory(const fs::path& path) {
    std::error_code ec;
    const std::string abs = fs::absolute(path, ec).lexically_normal().string();
    return !ec && (abs.rfind("/dev/", 0) == 0 || abs.rfind("/proc/", 0) == 0);
}

std::string writeAll(int fd, const std::string& content) {
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::strerror(errno);
        }
        done += size_t(n);
    }
    return {};
}

// Writes into an existing device, FIFO or stream (/dev/null, /dev/stdout):
// the node stays what it is.
std::string writeThrough(const fs::path& path, const std::string& content, bool truncate) {
    int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | (truncate ? O_TRUNC : 0));
    if (fd < 0)
        return path.string() + ": " + std::strerror(errno);
    std::string err = writeAll(fd, content);
    if (::close(fd) != 0 && err.empty())
        err = std::strerror(errno);
    return err.empty() ? err : path.string() + ": " + err;
}

// A new file beside `path`, then one rename over it. `old`: the file being
// replaced, whose mode, owner and group the new one keeps.
std::string replaceByRename(const fs::path& path, const std::string& content,
                            const struct stat* old) {
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    removeStaleTemporaries(dir, path);
    std::string tmpl = temporaryTemplate(dir, path);
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = -1;
    {
        auto guard = temporariesLock();
        fd = ::mkostemp(buf.data(), O_CLOEXEC);
        if (fd < 0)
            return "cannot create a temporary file in '" + dir.string() +
                   "': " + std::strerror(errno);
        registerTemporaryLocked(buf.data());
    }
    const fs::path tmp(buf.data());
    auto fail = [&](std::string err) {
        ::unlink(tmp.c_str());
        unregisterTemporary(tmp.string());
        ::close(fd);
        return err;
    };
    lockFor(fd);
    if (std::string err = writeAll(fd, content); !err.empty())
        return fail(tmp.string() + ": " + err);
    mode_t mode = 0644;
    if (old) {
        mode = old->st_mode & 07777;
        if ((old->st_uid != ::geteuid() || old->st_gid != ::getegid()) &&
            ::fchown(fd, old->st_uid, old->st_gid) != 0)
            return fail("cannot keep the owner and group of '" + path.string() +
                        "': " + std::strerror(errno) + "; it was left unchanged");
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0)
        return fail(path.string() + ": " + std::strerror(errno));
    auto guard = temporariesLock();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string err = path.string() + ": " + std::strerror(errno);
        guard.unlock();
        return fail(err);
    }
    unregisterTemporaryLocked(tmp.string());
    guard.unlock();
    ::close(fd);
    syncDirectory(dir);
    return {};
}

} // namespace

std::string writeFileAtomically(const std::string& pathArg, const std::string& content,
                                FileTarget target) {
    const fs::path path(pathArg);
    struct stat node {};
    if (::lstat(path.c_str(), &node) != 0) {
        if (errno != ENOENT)
            return path.string() + ": " + std::strerror(errno);
        return replaceByRename(path, content, nullptr);
    }
    if (S_ISREG(node.st_mode))
        return replaceByRename(path, content, &node);
    struct stat resolved {};
    const bool resolves = ::stat(path.c_str(), &resolved) == 0;
    if (S_ISLNK(node.st_mode) && (!resolves || S_ISREG(resolved.st_mode)) &&
        !underSystemDirectory(path)) {
        // A symlink to a file (possibly planted to redirect the write): the
        // link is replaced, its target never written.
        return replaceByRename(path, content, nullptr);
    }
    if (!resolves)
        return path.string() + ": " + std::strerror(errno);
    if (target == FileTarget::Source)
        return path.string() + ": not a regular file; fmt rewrites regular files in place";
    if (S_ISDIR(resolved.st_mode))
        return path.string() + ": is a directory";
    if (S_ISBLK(resolved.st_mode) || S_ISSOCK(resolved.st_mode))
        return path.string() + ": is " +
               (S_ISBLK(resolved.st_mode) ? "a block device" : "a socket") +
               "; refusing to write a report onto it";
    // A device, a FIFO, or a stream of this process such as /dev/stdout
    // (which may be a regular file the shell opened): written through, the
    // node left as it is.
    return writeThrough(path, content, S_ISREG(resolved.st_mode));
}

} // namespace netsep::driver
