#pragma once
#include <sys/types.h>

#include <cstddef>
#include <string>

namespace netsep {

// Reading one policy file from a file system that may hold traps: FIFOs that
// block, devices that never end or act when opened, files that change while
// they are read. Nothing here throws; every failure is a short reason
// ("is a FIFO", "No such file or directory") for the caller's diagnostic.

// Which file is being read decides what it may be.
enum class PolicyFileRole {
    // The file named on the command line: a regular file, or a pipe, FIFO or
    // socket (`netsep check /dev/stdin`, `<(...)`), read once into memory.
    TopLevel,
    // A file named by an `include`: a regular file only. Anything else is
    // refused before it is opened.
    Include,
};

// The device and inode of a file: two paths (hard links, symlinks) to one
// file have the same identity, so it is read once.
struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool valid = false;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

struct PolicyFileRead {
    bool ok = false;
    std::string text;
    std::string error;     // when !ok: the reason
    FileIdentity identity; // of a regular file
    bool stream = false;   // a pipe, FIFO or socket
};

// Reads `path` as `role`, at most `limit` bytes: a longer file is an error
// (its size is checked before reading when the file system knows it).
// `tooLarge` is the reason given for a file over the limit.
PolicyFileRead readPolicyFile(const std::string& path, PolicyFileRole role, size_t limit,
                              const std::string& tooLarge);

// The identity of the file at `path` (symbolic links followed); not valid
// when it cannot be stat'ed.
FileIdentity identityOf(const std::string& path);

// "a FIFO", "a character device", ... for a stat mode.
const char* fileTypeName(mode_t mode);

} // namespace netsep
