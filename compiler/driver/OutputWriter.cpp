#include "driver/OutputWriter.hpp"

#include <fcntl.h>
#include <stdio.h>
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
    }
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

    std::string tmpl = (parent / ("." + dir_.filename().string() + ".netsep-XXXXXX")).string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        return error_ = "cannot create a temporary directory in '" + parent.string() +
                        "': " + std::strerror(errno);
    tmp_ = buf.data();
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
    // Files of different paths are written concurrently.
    std::error_code ec;
    fs::path target = tmp_ / rel;
    fs::create_directories(target.parent_path(), ec);
    std::string err = ec ? target.parent_path().string() + ": " + ec.message()
                         : writeFile(target, content, false);
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
    if (!exists_) {
        if (::rename(tmp_.c_str(), dir_.c_str()) != 0)
            return error_ =
                       "cannot move output into '" + dir_.string() + "': " + std::strerror(errno);
        committed_ = true;
        syncDirectory(parent);
        return {};
    }
    // Swap old and new in one step, then delete the old tree (now at tmp).
    if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0)
        return error_ = "cannot replace '" + dir_.string() + "': " + std::strerror(errno);
    committed_ = true;
    syncDirectory(parent);
    fs::remove_all(tmp_, ec);
    return {};
}

std::string writeOutputDirectory(const std::string& dir, const FileSet& files) {
    OutputDirectory out(dir);
    for (const auto& [rel, content] : files)
        if (std::string err = out.add(rel, content); !err.empty())
            return err;
    return out.commit();
}

std::string writeFileAtomically(const std::string& pathArg, const std::string& content) {
    fs::path path(pathArg);
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + path.filename().string() + ".netsep-XXXXXX")).string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = ::mkstemp(buf.data());
    if (fd < 0)
        return "cannot create a temporary file in '" + dir.string() + "': " + std::strerror(errno);
    ::close(fd);
    fs::path tmp(buf.data());
    std::error_code ec;
    fs::remove(tmp, ec);
    if (std::string err = writeFile(tmp, content, true); !err.empty()) {
        fs::remove(tmp, ec);
        return err;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) == 0)
        ::chmod(tmp.c_str(), st.st_mode & 07777);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string err = path.string() + ": " + std::strerror(errno);
        fs::remove(tmp, ec);
        return err;
    }
    return {};
}

} // namespace netsep::driver
