#include "driver/OutputWriter.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace netsep::driver {

namespace {

std::string writeFile(const fs::path& path, const std::string& content) {
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
    if (::fsync(fd) != 0 || ::close(fd) != 0)
        return path.string() + ": " + std::strerror(errno);
    return {};
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

std::string writeOutputDirectory(const std::string& dirArg, const FileSet& files) {
    std::error_code ec;
    fs::path dir = fs::path(dirArg).lexically_normal();
    if (dir.filename().empty())
        dir = dir.parent_path();
    fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    if (!fs::is_directory(parent, ec))
        return "cannot create the output directory's parent '" + parent.string() + "'";

    auto status = fs::symlink_status(dir, ec);
    bool exists = !ec && fs::exists(status);
    if (exists) {
        if (!fs::is_directory(status))
            return "'" + dir.string() + "' exists and is not a directory";
        bool empty = fs::is_empty(dir, ec);
        if (!empty && !fs::exists(dir / kOutputMarker, ec))
            return "'" + dir.string() +
                   "' is not empty and was not written by netsep; refusing to replace it";
    }

    std::string tmpl = (parent / ("." + dir.filename().string() + ".netsep-XXXXXX")).string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        return "cannot create a temporary directory in '" + parent.string() +
               "': " + std::strerror(errno);
    fs::path tmp(buf.data());
    auto fail = [&](std::string msg) {
        fs::remove_all(tmp, ec);
        return msg;
    };

    // The marker first, then the files (not copied: they can be large).
    if (std::string err =
            writeFile(tmp / kOutputMarker,
                      "This directory is written by netsep; it is replaced on every compile.\n");
        !err.empty())
        return fail(err);
    for (const auto& [rel, content] : files) {
        if (rel == kOutputMarker)
            continue; // the marker is netsep's own
        if (!safeRelative(rel))
            return fail("internal error: unsafe output path '" + rel + "'");
        fs::path target = tmp / rel;
        fs::create_directories(target.parent_path(), ec);
        if (ec)
            return fail(target.parent_path().string() + ": " + ec.message());
        if (std::string err = writeFile(target, content); !err.empty())
            return fail(err);
    }
    ::chmod(tmp.c_str(), 0755);

    if (!exists) {
        if (::rename(tmp.c_str(), dir.c_str()) != 0)
            return fail("cannot move output into '" + dir.string() + "': " + std::strerror(errno));
        return {};
    }
    // Swap old and new in one step, then delete the old tree (now at tmp).
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0)
        return fail("cannot replace '" + dir.string() + "': " + std::strerror(errno));
    fs::remove_all(tmp, ec);
    return {};
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
    if (std::string err = writeFile(tmp, content); !err.empty()) {
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
