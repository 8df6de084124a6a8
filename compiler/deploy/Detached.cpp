#include "deploy/Detached.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace netsep::deploy {

pid_t startDetached(std::vector<std::string> argv, int readyTimeoutMs, std::string& error) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    for (auto& a : argv)
        if (a == "{ready-fd}")
            a = std::to_string(ready[1]);
    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);

    pid_t child = fork();
    if (child < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        ::close(ready[0]);
        ::close(ready[1]);
        return -1;
    }
    if (child == 0) {
        // Intermediate child: new session, then fork the daemon and leave,
        // so the daemon is nobody's child but init's and has no terminal.
        ::close(ready[0]);
        if (setsid() < 0)
            _exit(1);
        pid_t daemon = fork();
        if (daemon != 0)
            _exit(daemon < 0 ? 1 : 0);
        int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            if (null > 2)
                ::close(null);
        }
        if (chdir("/") != 0)
            _exit(1);
        fcntl(ready[1], F_SETFD, 0); // the one descriptor the daemon keeps
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGTERM})
            sigaction(sig, &dfl, nullptr);
        // Hang-ups of the operator's session must not stop it.
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGHUP, &ign, nullptr);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    ::close(ready[1]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    std::string line;
    pollfd p{ready[0], POLLIN, 0};
    int waited = 0;
    while (line.find('\n') == std::string::npos && waited < readyTimeoutMs) {
        int rc = poll(&p, 1, 100);
        waited += 100;
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue;
        char buf[64];
        ssize_t n = ::read(ready[0], buf, sizeof buf);
        if (n <= 0)
            break; // closed: the daemon died or exec failed
        line.append(buf, static_cast<size_t>(n));
    }
    ::close(ready[0]);
    pid_t pid =
        line.find('\n') == std::string::npos ? 0 : static_cast<pid_t>(std::atol(line.c_str()));
    if (pid <= 0) {
        error =
            WIFEXITED(status) && WEXITSTATUS(status) != 0
                ? "could not start it (fork or setsid failed)"
                : "it did not report ready within " + std::to_string(readyTimeoutMs / 1000) + " s";
        return -1;
    }
    return pid;
}

void signalReady(int readyFd) {
    std::string line = std::to_string(::getpid()) + "\n";
    ssize_t n = ::write(readyFd, line.data(), line.size());
    (void)n;
    ::close(readyFd);
}

} // namespace netsep::deploy
