#pragma once
#include <map>
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

// Replaces one file atomically (temp file beside it + rename); the file's
// permission bits are kept. Returns "" or an error message.
std::string writeFileAtomically(const std::string& path, const std::string& content);

// Marker file that identifies a directory written by netsep.
inline constexpr const char* kOutputMarker = ".netsep-output";

} // namespace netsep::driver
