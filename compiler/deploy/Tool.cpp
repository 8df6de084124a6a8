#include "deploy/Tool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace netsep::deploy {

namespace {

void closeFd(int& fd) {
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Writes errno to the error pipe and exits: the parent tells "could not
// start" from the tool's own failure.
[[noreturn]] void childFail(int errFd, int err) {
    ssize_t n = ::write(errFd, &err, sizeof err);
    (void)n;
    _exit(127);
}

// SIGPIPE ignored while the tool runs, so a tool that exits without
// reading its input does not kill netsep; restored afterwards.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGPIPE, &ign, &old_);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction old_ {};
};

// A closed standard descriptor would be handed out by pipe2() and then
// clobbered by the dup2() calls in the child: keep 0-2 open.
void keepStandardFdsOpen() {
    for (int fd = 0; fd <= 2; ++fd)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = ::open("/dev/null", O_RDWR);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                ::close(n);
            }
        }
}

} // namespace

std::string ToolResult::describe(const std::vector<std::string>& argv) const {
    std::string cmd;
    for (const auto& a : argv)
        cmd += (cmd.empty() ? "" : " ") + a;
    if (!failure.empty())
        return "`" + cmd + "` " + failure;
    std::string text = err.empty() ? out : err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return "`" + cmd + "` exited " + std::to_string(exitCode) + (text.empty() ? "" : ": " + text);
}

ToolResult runTool(const std::vector<std::string>& argv, const NetScope& scope,
                   std::string_view input, int timeoutMs) {
    ToolResult r;
    if (argv.empty()) {
        r.failure = "has no command";
        return r;
    }
    keepStandardFdsOpen();
    int nsFd = -1;
    if (!scope.isHost()) {
        nsFd = scope.open(r.failure);
        if (nsFd < 0)
            return r;
    }
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, exec[2] = {-1, -1};
    auto closeAll = [&] {
        for (int* p : {in, out, err, exec}) {
            closeFd(p[0]);
            closeFd(p[1]);
        }
        closeFd(nsFd);
    };
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
        pipe2(exec, O_CLOEXEC) != 0) {
        r.failure = std::string("could not be started: pipe: ") + std::strerror(errno);
        closeAll();
        return r;
    }
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    IgnoreSigpipe guard;
    pid_t pid = fork();
    if (pid < 0) {
        r.failure = std::string("could not be started: fork: ") + std::strerror(errno);
        closeAll();
        return r;
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls from here to exec.
        if (nsFd >= 0 && setns(nsFd, CLONE_NEWNET) != 0)
            childFail(exec[1], errno);
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
            childFail(exec[1], errno);
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGPIPE, &dfl, nullptr);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execvp(args[0], args.data());
        childFail(exec[1], errno);
    }
    closeFd(in[0]);
    closeFd(out[1]);
    closeFd(err[1]);
    closeFd(exec[1]);
    closeFd(nsFd);

    // The exec pipe closes on a successful exec (O_CLOEXEC) or carries errno.
    int childErrno = 0;
    ssize_t n;
    do
        n = ::read(exec[0], &childErrno, sizeof childErrno);
    while (n < 0 && errno == EINTR);
    closeFd(exec[0]);
    if (n == static_cast<ssize_t>(sizeof childErrno)) {
        closeAll();
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        r.notFound = childErrno == ENOENT;
        r.failure = std::string("could not be started: ") + std::strerror(childErrno) +
                    (childErrno == ENOENT ? " (is it installed and in PATH?)" : "");
        return r;
    }

    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    size_t written = 0;
    if (input.empty())
        closeFd(in[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool timedOut = false;
    while (out[0] >= 0 || err[0] >= 0 || in[1] >= 0) {
        pollfd fds[3];
        nfds_t count = 0;
        if (in[1] >= 0)
            fds[count++] = {in[1], POLLOUT, 0};
        if (out[0] >= 0)
            fds[count++] = {out[0], POLLIN, 0};
        if (err[0] >= 0)
            fds[count++] = {err[0], POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) {
            timedOut = true;
            break;
        }
        int rc = poll(fds, count, static_cast<int>(left));
        if (rc < 0 && errno != EINTR)
            break;
        for (nfds_t i = 0; rc > 0 && i < count; ++i) {
            if (!fds[i].revents)
                continue;
            if (fds[i].fd == in[1]) {
                ssize_t w = ::write(in[1], input.data() + written, input.size() - written);
                if (w > 0)
                    written += static_cast<size_t>(w);
                if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size())
                    closeFd(in[1]);
                continue;
            }
            char buf[65536];
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (fds[i].fd == out[0] ? r.out : r.err).append(buf, static_cast<size_t>(got));
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(fds[i].fd == out[0] ? out[0] : err[0]);
            }
        }
    }
    if (timedOut)
        kill(pid, SIGKILL);
    closeAll();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
        r.failure = "timed out after " + std::to_string(timeoutMs / 1000) + " s and was killed";
    else if (WIFEXITED(status))
        r.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r.failure = std::string("was killed by signal ") + strsignal(WTERMSIG(status));
    return r;
}

} // namespace netsep::deploy
