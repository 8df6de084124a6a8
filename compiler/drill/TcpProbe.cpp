#include "drill/TcpProbe.hpp"

#include "drill/NetnsLab.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

namespace netsep::drill {

namespace {

using Clock = std::chrono::steady_clock;

// A socket address for ADDR:PORT (IPv4 or IPv6); false when ADDR is neither.
bool sockAddr(const std::string& address, uint16_t port, sockaddr_storage& out, socklen_t& len) {
    std::memset(&out, 0, sizeof out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

int socketIn(int nsFd, int family, std::string& error) {
    int fd = -1;
    std::string entered = inNamespace(nsFd, [&] {
        fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            error = std::string("socket: ") + std::strerror(errno);
    });
    if (!entered.empty())
        error = entered;
    return fd;
}

int msLeft(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? int(left.count()) : 0;
}

} // namespace

int tcpListen(int nsFd, const std::string& address, uint16_t port, std::string& error) {
    sockaddr_storage sa;
    socklen_t len = 0;
    if (!sockAddr(address, port, sa, len)) {
        error = "'" + address + "' is not an address";
        return -1;
    }
    int fd = socketIn(nsFd, sa.ss_family, error);
    if (fd < 0)
        return -1;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0 || ::listen(fd, 64) != 0) {
        error = "cannot listen on " + address + " port " + std::to_string(port) + ": " +
                std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}

EchoServer::~EchoServer() {
    stop();
}

std::string EchoServer::start(std::vector<int> listeners) {
    listeners_ = std::move(listeners);
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
        return std::string("pipe: ") + std::strerror(errno);
    thread_ = std::thread([this] { run(); });
    return "";
}

void EchoServer::stop() {
    if (thread_.joinable()) {
        char c = 'x';
        (void)!::write(wake_[1], &c, 1);
        thread_.join();
    }
    for (int fd : listeners_)
        ::close(fd);
    listeners_.clear();
    for (int& w : wake_)
        if (w >= 0) {
            ::close(w);
            w = -1;
        }
}

void EchoServer::run() {
    std::vector<int> conns;
    for (;;) {
        std::vector<pollfd> fds;
        fds.push_back({wake_[0], POLLIN, 0});
        for (int l : listeners_)
            fds.push_back({l, POLLIN, 0});
        for (int c : conns)
            fds.push_back({c, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
            break;
        std::vector<int> keep;
        for (size_t i = 1; i < fds.size(); ++i) {
            bool listener = i <= listeners_.size();
            if (listener) {
                if (fds[i].revents & POLLIN) {
                    int c = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c >= 0)
                        keep.push_back(c);
                }
                continue;
            }
            int c = fds[i].fd;
            if (!fds[i].revents) {
                keep.push_back(c);
                continue;
            }
            char buf[4096];
            ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n > 0 && ::send(c, buf, size_t(n), MSG_NOSIGNAL) == n) {
                keep.push_back(c);
            } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                keep.push_back(c);
            } else {
                ::close(c);
            }
        }
        conns = std::move(keep);
    }
    for (int c : conns)
        ::close(c);
}

int tcpConnect(int nsFd, const std::string& src, const std::string& dst, uint16_t port,
               int timeoutMs, std::string& detail) {
    sockaddr_storage from, to;
    socklen_t fromLen = 0, toLen = 0;
    if (!sockAddr(src, 0, from, fromLen) || !sockAddr(dst, port, to, toLen)) {
        detail = "bad address";
        return -1;
    }
    int fd = socketIn(nsFd, to.ss_family, detail);
    if (fd < 0)
        return -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), fromLen) != 0) {
        detail = "cannot bind " + src + ": " + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    // A SYN that is dropped is retried by the kernel; the timeout decides.
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), toLen) != 0 && errno != EINPROGRESS) {
        detail = std::string("connect: ") + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    int n = ::poll(&p, 1, timeoutMs);
    int err = 0;
    socklen_t errLen = sizeof err;
    if (n == 1)
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errLen);
    if (n != 1 || err != 0) {
        detail = n != 1                ? "timed out after " + std::to_string(timeoutMs) + " ms"
                 : err == ECONNREFUSED ? "refused"
                                       : std::string("connect: ") + std::strerror(err);
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool echoes(int fd, const std::string& payload, int timeoutMs, std::string& detail) {
    if (::send(fd, payload.data(), payload.size(), MSG_NOSIGNAL) != ssize_t(payload.size())) {
        detail = std::string("send: ") + std::strerror(errno);
        return false;
    }
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string got;
    while (got.size() < payload.size()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, msLeft(deadline)) != 1) {
            detail = "no echo within " + std::to_string(timeoutMs) + " ms";
            return false;
        }
        char buf[512];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            if (n < 0 && errno == EAGAIN)
                continue;
            detail = n == 0 ? "closed by the peer" : std::string("recv: ") + std::strerror(errno);
            return false;
        }
        got.append(buf, size_t(n));
    }
    if (got != payload) {
        detail = "echo differs";
        return false;
    }
    return true;
}

bool flowPasses(int nsFd, const std::string& src, const std::string& dst, uint16_t port,
                int timeoutMs, std::string& detail) {
    int fd = tcpConnect(nsFd, src, dst, port, timeoutMs, detail);
    if (fd < 0)
        return false;
    bool ok = echoes(fd, "netsep-drill " + src + " -> " + dst + "\n", timeoutMs, detail);
    ::close(fd);
    return ok;
}

CutWatch::CutWatch(int fd, int intervalMs, int replyMs)
    : fd_(fd), intervalMs_(intervalMs), replyMs_(replyMs), thread_([this] { run(); }) {}

CutWatch::~CutWatch() {
    stop_ = true;
    if (thread_.joinable())
        thread_.join();
}

bool CutWatch::finish(Clock::time_point& cutAt) {
    stop_ = true;
    if (thread_.joinable())
        thread_.join();
    cutAt = cutAt_;
    return cut_.load();
}

void CutWatch::run() {
    while (!stop_.load()) {
        auto sent = Clock::now();
        std::string detail;
        if (!echoes(fd_, "p", replyMs_, detail)) {
            cutAt_ = sent;
            cut_ = true;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(intervalMs_));
    }
}

} // namespace netsep::drill
