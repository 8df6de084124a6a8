#include "parse/IncludeRoots.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;

namespace netsep {

namespace {

// Absolute and normalised, without touching the file system beyond the
// current directory; "" when even that fails.
std::string lexicalAbsolute(const std::string& path) {
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    if (ec)
        return {};
    std::string out = abs.lexically_normal().string();
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    return out;
}

// realpath(3) without exceptions; "" with errno set on failure.
std::string realPath(const std::string& path) {
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    return real ? std::string(real.get()) : std::string();
}

bool within(const std::string& path, const std::string& root) {
    if (root.empty())
        return false;
    if (root == "/")
        return !path.empty() && path[0] == '/';
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                            path[root.size()] == '/');
}

} // namespace

bool IncludeRoots::init(const std::string& topDirectory, const std::vector<std::string>& extra,
                        std::string& error) {
    roots_.clear();
    roots_.push_back({lexicalAbsolute(topDirectory), realPath(topDirectory)});
    for (const auto& dir : extra) {
        struct stat st {};
        if (dir.find('\0') != std::string::npos || ::stat(dir.c_str(), &st) != 0) {
            error = "--include-dir " + dir + ": " + std::strerror(errno);
            return false;
        }
        if (!S_ISDIR(st.st_mode)) {
            error = "--include-dir " + dir + ": not a directory";
            return false;
        }
        roots_.push_back({lexicalAbsolute(dir), realPath(dir)});
    }
    return true;
}

IncludeRoots::Resolution IncludeRoots::resolve(const std::string& candidate) const {
    static const std::string kOutside =
        "it lies outside the policy's directory and every --include-dir";
    Resolution r;
    if (candidate.find('\0') != std::string::npos) {
        r.error = "the path contains a NUL byte";
        return r;
    }
    if (candidate.size() >= PATH_MAX) {
        r.error = std::strerror(ENAMETOOLONG);
        return r;
    }
    const std::string lexical = lexicalAbsolute(candidate);
    bool inside = false;
    for (const Root& root : roots_)
        inside = inside || within(lexical, root.lexical);
    if (!inside) {
        r.error = kOutside;
        return r;
    }
    r.real = realPath(candidate);
    if (r.real.empty()) {
        r.error = std::strerror(errno);
        return r;
    }
    inside = false;
    for (const Root& root : roots_)
        inside = inside || within(r.real, root.real);
    if (!inside) {
        r.error = kOutside + std::string(" (through a symbolic link)");
        r.real.clear();
        return r;
    }
    r.ok = true;
    return r;
}

} // namespace netsep
