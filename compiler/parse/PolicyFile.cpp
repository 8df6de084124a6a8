#include "parse/PolicyFile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

namespace netsep {

namespace {

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string lastError() {
    return std::strerror(errno);
}

// The descriptor a path such as /dev/stdin or /proc/self/fd/3 stands for,
// or -1. Such a path to a pipe is read through the descriptor itself:
// reopening it would fail for a socket.
int standsForDescriptor(std::string_view path) {
    if (path == "/dev/stdin")
        return 0;
    for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        if (path.substr(0, prefix.size()) != prefix)
            continue;
        std::string_view digits = path.substr(prefix.size());
        int fd = -1;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
        if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty())
            return fd;
    }
    return -1;
}

// Reads to the end, but never more than limit + 1 bytes: a source that
// never ends is refused instead of filling memory.
bool readAll(int fd, size_t limit, std::string& text, std::string& error) {
    text.clear();
    char buf[1 << 16];
    while (text.size() <= limit) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = "read error: " + lastError();
            return false;
        }
        if (n == 0)
            break;
        text.append(buf, size_t(n));
    }
    return true;
}

} // namespace

FileIdentity identityOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {};
    return {st.st_dev, st.st_ino, true};
}

const char* fileTypeName(mode_t mode) {
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "a regular file";
}

PolicyFileRead readPolicyFile(const std::string& path, PolicyFileRole role, size_t limit,
                              const std::string& tooLarge) {
    PolicyFileRead r;
    if (path.find('\0') != std::string::npos) {
        r.error = "the path contains a NUL byte";
        return r;
    }
    // The type is judged before anything is opened: opening a FIFO blocks
    // until a writer comes, and opening some devices acts (a watchdog, a
    // tape, a serial line).
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        r.error = "cannot open file: " + lastError();
        return r;
    }
    if (S_ISDIR(st.st_mode)) {
        r.error = "is a directory";
        return r;
    }
    const bool stream = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
    if (!S_ISREG(st.st_mode) && !(stream && role == PolicyFileRole::TopLevel)) {
        r.error = role == PolicyFileRole::Include
                      ? std::string("is ") + fileTypeName(st.st_mode) +
                            "; only regular files can be included"
                      : std::string("is ") + fileTypeName(st.st_mode) +
                            ", not a policy file (give a regular file or a pipe)";
        return r;
    }
    if (S_ISREG(st.st_mode) && size_t(st.st_size) > limit) {
        r.error = tooLarge;
        return r;
    }

    int fd = -1;
    if (stream) {
        // A pipe handed over as /dev/stdin or /dev/fd/N is read through that
        // descriptor; a named FIFO is opened and waits for its writer, as
        // any reader does.
        int inherited = standsForDescriptor(path);
        fd = inherited >= 0 ? ::fcntl(inherited, F_DUPFD_CLOEXEC, 3)
                            : ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC);
    } else {
        // O_NONBLOCK: should the path have become a FIFO since the stat,
        // the open does not wait; the fstat below refuses it.
        fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    }
    if (fd < 0) {
        r.error = "cannot open file: " + lastError();
        return r;
    }
    Descriptor guard(fd);
    struct stat now {};
    if (::fstat(fd, &now) != 0) {
        r.error = "cannot open file: " + lastError();
        return r;
    }
    if (!stream) {
        if (!S_ISREG(now.st_mode) || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
            r.error = "changed while it was being opened";
            return r;
        }
        // Regular files never block; reads see the whole file either way.
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        r.identity = {now.st_dev, now.st_ino, true};
    } else if (!S_ISFIFO(now.st_mode) && !S_ISSOCK(now.st_mode) && !S_ISREG(now.st_mode)) {
        r.error = std::string("is ") + fileTypeName(now.st_mode) +
                  ", not a policy file (give a regular file or a pipe)";
        return r;
    }
    if (!readAll(fd, limit, r.text, r.error))
        return r;
    if (r.text.size() > limit) {
        r.text.clear();
        r.error = tooLarge;
        return r;
    }
    r.stream = stream;
    r.ok = true;
    return r;
}

} // namespace netsep
