#pragma once
#include <string>
#include <string_view>

namespace netsep {

// Text a policy chose (strings, names of included files) on its way to a
// terminal or a report: control bytes would garble or drive the terminal
// (ESC sequences), so each becomes '?', byte for byte so carets stay
// aligned; a C1 control (U+0080..U+009F, two bytes in UTF-8) becomes "??".
// A byte that is not part of valid UTF-8 becomes '?' too. A tab becomes a
// space; a newline is kept only when asked.
std::string printable(std::string_view text, bool keepNewlines = false);

// The same for a serialised JSON document, keeping the data exact: the JSON
// writer escapes C0 controls but passes DEL and C1 controls through raw;
// they become \u007f and \u0080..\u009f (such bytes only occur in strings).
std::string printableJson(std::string_view json);

} // namespace netsep
