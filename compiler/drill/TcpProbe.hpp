#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace netsep::drill {

// Real TCP traffic for the drill: sockets created inside network
// namespaces (inNamespace), non-blocking with timeouts, no external tool.

// A TCP listener on ADDR:PORT in a namespace; -1 with `error`.
int tcpListen(int nsFd, const std::string& address, uint16_t port, std::string& error);

// Echoes every byte it receives on every connection its listeners accept,
// on its own thread, until stop().
class EchoServer {
public:
    EchoServer() = default;
    ~EchoServer();
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;
    // Takes the listeners; "" or why the thread did not start.
    std::string start(std::vector<int> listeners);
    void stop();

private:
    void run();
    std::vector<int> listeners_;
    int wake_[2] = {-1, -1};
    std::thread thread_;
};

// A connection from SRC (bound to that address) to DST:PORT, opened in the
// namespace of `nsFd` within `timeoutMs`. -1 with `detail` ("refused",
// "timed out after N ms", ...).
int tcpConnect(int nsFd, const std::string& src, const std::string& dst, uint16_t port,
               int timeoutMs, std::string& detail);

// Sends `payload` and waits up to `timeoutMs` for the same bytes back.
bool echoes(int fd, const std::string& payload, int timeoutMs, std::string& detail);

// A new connection and one echoed message, then closed: whether the flow
// passes now.
bool flowPasses(int nsFd, const std::string& src, const std::string& dst, uint16_t port,
                int timeoutMs, std::string& detail);

// Watches an established connection while the kill switch is engaged:
// sends one byte every `intervalMs` and waits for its echo; the first byte
// not echoed within `replyMs` marks the cut (its send time) and ends the
// watch.
class CutWatch {
public:
    using Clock = std::chrono::steady_clock;
    CutWatch(int fd, int intervalMs, int replyMs);
    ~CutWatch();
    CutWatch(const CutWatch&) = delete;
    CutWatch& operator=(const CutWatch&) = delete;
    // Ends the watch (it ends by itself at the cut) and returns whether the
    // connection was cut, and when.
    bool finish(Clock::time_point& cutAt);
    bool cut() const { return cut_.load(); }

private:
    void run();
    int fd_, intervalMs_, replyMs_;
    std::atomic<bool> stop_{false}, cut_{false};
    Clock::time_point cutAt_{};
    std::thread thread_;
};

} // namespace netsep::drill
