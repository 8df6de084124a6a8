#include "driver/GitRevision.hpp"

#include "parse/PolicyLoader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace netsep::driver {

namespace {

struct Run {
    int status = -1;
    std::string out, err;
    bool tooLong = false;
};

// Runs git with `args` (no shell), stdout capped at `maxOut` bytes.
bool runGit(const std::vector<std::string>& args, size_t maxOut, Run& r, std::string& error) {
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        close(outPipe[0]);
        close(outPipe[1]);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, errPipe[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    std::string git = "git";
    argv.push_back(git.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        error = std::string("cannot run git: ") + std::strerror(rc);
        return false;
    }
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    char buf[1 << 16];
    while (open > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
                continue;
            }
            std::string& into = i == 0 ? r.out : r.err;
            if (i == 0 && into.size() + size_t(n) > maxOut) {
                r.tooLong = true;
                continue; // keep draining so git can finish
            }
            if (i == 1 && into.size() > 4096)
                continue;
            into.append(buf, size_t(n));
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0)
            close(f.fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
}

std::string firstLine(std::string s) {
    if (auto nl = s.find('\n'); nl != std::string::npos)
        s.erase(nl);
    return s;
}

} // namespace

std::optional<GitRevision> GitRevision::open(const std::string& rev, const std::string& policyPath,
                                             std::string& error) {
    if (rev.empty() || rev[0] == '-') {
        error = "--git '" + rev + "' is not a revision";
        return std::nullopt;
    }
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(fs::absolute(policyPath), ec).parent_path();
    Run top;
    if (!runGit({"-C", dir.string(), "rev-parse", "--show-toplevel"}, 1 << 16, top, error))
        return std::nullopt;
    if (top.status != 0) {
        error = "--git: " + policyPath + " is not in a git repository (" + firstLine(top.err) + ")";
        return std::nullopt;
    }
    GitRevision g;
    g.top_ = firstLine(top.out);
    Run commit;
    if (!runGit({"-C", g.top_, "rev-parse", "--verify", "--quiet", "--end-of-options",
                 rev + "^{commit}"},
                1 << 16, commit, error))
        return std::nullopt;
    if (commit.status != 0 || commit.out.empty()) {
        error = "--git: '" + rev + "' is not a commit of the repository at " + g.top_;
        return std::nullopt;
    }
    g.commit_ = firstLine(commit.out);
    return g;
}

std::string GitRevision::inRepository(const std::string& path, std::string& error) const {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(path), ec);
    fs::path rel = abs.lexically_relative(top_);
    if (rel.empty() || *rel.begin() == "..") {
        error = "outside the repository " + top_;
        return {};
    }
    return rel.generic_string();
}

bool GitRevision::read(const std::string& path, std::string& text, std::string& error) const {
    std::string rel = inRepository(path, error);
    if (rel.empty())
        return false;
    Run r;
    if (!runGit({"-C", top_, "cat-file", "blob", commit_ + ":" + rel}, kMaxFileBytes + 1, r, error))
        return false;
    if (r.status != 0) {
        error = "not in revision " + commit_.substr(0, 12) + " (" + firstLine(r.err) + ")";
        return false;
    }
    text = std::move(r.out);
    if (r.tooLong)
        text.resize(kMaxFileBytes + 1); // the loader reports the limit
    return true;
}

} // namespace netsep::driver
