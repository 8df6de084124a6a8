#include "deploy/StateStore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace netsep::deploy {

namespace fs = std::filesystem;

namespace {

std::string syncDir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return dir + ": " + std::strerror(errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    return rc == 0 ? std::string() : dir + ": fsync: " + std::strerror(err);
}

std::string makeDir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
        struct stat st;
        if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            return dir + ": not a directory";
        return {};
    }
    return dir + ": " + std::strerror(errno);
}

} // namespace

StateStore::StateStore(std::string root, const NetScope& scope, std::string firewall,
                       RulesetBackend backend)
    : root_(std::move(root)), firewall_(std::move(firewall)), backend_(backend), scope_(scope) {
    fwDir_ = root_ + "/" + scope_.stateSegment() + "/" + firewall_;
    dir_ = fwDir_ + "/" + backendName(backend_);
}

std::string StateStore::prepare() const {
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
        fs::create_directories(root_, ec);
        if (ec)
            return root_ + ": " + ec.message();
        ::chmod(root_.c_str(), 0700);
    }
    for (const std::string& d : {root_ + "/" + scope_.stateSegment(), fwDir_, dir_})
        if (std::string e = makeDir(d); !e.empty())
            return e;
    return {};
}

std::optional<std::string> StateStore::read(const std::string& name, std::string& error) const {
    std::string path = dir_ + "/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            error = path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = path + ": " + std::strerror(errno);
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
}

std::string StateStore::write(const std::string& name, const std::string& content) const {
    std::string path = dir_ + "/" + name;
    std::string tmp = dir_ + "/." + name + ".tmp-" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return tmp + ": " + std::strerror(errno);
    size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            std::string e = tmp + ": " + std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return e;
        }
        off += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::string e = tmp + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return e;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string e = path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return e;
    }
    return syncDir(dir_);
}

std::string StateStore::remove(const std::string& name) const {
    std::string path = dir_ + "/" + name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return path + ": " + std::strerror(errno);
    return syncDir(dir_);
}

} // namespace netsep::deploy
