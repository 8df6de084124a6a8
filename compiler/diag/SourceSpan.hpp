#pragma once
#include <cstdint>

namespace netsep {

// A range of one source line; line and column are 1-based. Column and length
// count Unicode code points (what both lexers count), not bytes: text and
// JSON diagnostics print them as they are, SARIF converts them to UTF-16
// code units (report/Sarif.cpp).
struct SourceSpan {
    uint32_t file = 0;
    uint32_t line = 0;
    uint32_t col = 0;
    uint32_t length = 1;

    bool valid() const { return line != 0; }
};

} // namespace netsep
