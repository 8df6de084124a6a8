#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace netsep::driver {

// Files to write, path relative to the output directory -> content.
using FileSet = std::map<std::string, std::string>;

// Replaces `dir` with exactly `files`, atomically: everything is written to a
// fresh temporary directory beside it, which is then swapped into place with
// one rename. On any failure `dir` is left as it was. An existing non-empty
// directory that netsep did not create is never replaced. Returns "" or an
// error message.
std::string writeOutputDirectory(const std::string& dir, const FileSet& files);

// The same, streamed: files are written into the temporary directory as
// they are produced (add() may be called from several threads, for distinct
// paths), so a large compile need not hold every config in memory. Nothing
// touches the disk before the first add() or commit(). commit() swaps the
// directory into place; without it (a failed compile) the destructor removes
// the temporary directory and `dir` is left as it was. After an error every
// call returns that error.
class OutputDirectory {
public:
    explicit OutputDirectory(std::string dir);
    ~OutputDirectory();
    OutputDirectory(const OutputDirectory&) = delete;
    OutputDirectory& operator=(const OutputDirectory&) = delete;

    // Writes one file, path relative to the directory. Returns "" or an error.
    std::string add(const std::string& rel, const std::string& content);
    size_t files() const;
    std::string commit();

private:
    class Flusher;
    std::string prepare(); // with mutex_ held
    std::string acquireLock(const std::filesystem::path& parent);
    void releaseLock();
    void stopFlusher();

    std::string dirArg_;
    std::filesystem::path dir_, tmp_, lockPath_;
    int lockFd_ = -1, tmpFd_ = -1;
    bool prepared_ = false, exists_ = false, committed_ = false;
    size_t files_ = 0;
    std::string error_;
    mutable std::mutex mutex_;
    std::unique_ptr<Flusher> flusher_;
};

// What writeFileAtomically writes.
enum class FileTarget {
    Report, // `audit -o`: a file, or a device or stream such as /dev/stdout
    Source, // `fmt`: a policy rewritten in place, a regular file only
};

// Writes one file. A new path or an existing regular file is replaced
// atomically (a temporary file beside it, then one rename); the replaced
// file's mode, owner and group are kept, and when they cannot be (another
// user's file, not running as root) nothing is written. A symbolic link to
// a file is replaced, never followed (a planted link cannot redirect the
// write), except under /dev and /proc (/dev/stdout to a redirected file).
// An existing device, FIFO or stream (/dev/null, /dev/stdout) is written
// through for a Report and refused for a Source; it is never replaced.
// A block device, socket or directory is refused. Returns "" or an error.
std::string writeFileAtomically(const std::string& path, const std::string& content,
                                FileTarget target = FileTarget::Report);

// Marker file that identifies a directory written by netsep.
inline constexpr const char* kOutputMarker = ".netsep-output";

} // namespace netsep::driver
