#pragma once
#include <cstdint>

namespace netsep {

// A range of bytes in one source file; line and column are 1-based, column
// counts characters as bytes (the caret line is built from the same bytes).
struct SourceSpan {
    uint32_t file = 0;
    uint32_t line = 0;
    uint32_t col = 0;
    uint32_t length = 1;

    bool valid() const { return line != 0; }
};

} // namespace netsep
