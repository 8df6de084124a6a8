#pragma once
#include "diag/SourceSpan.hpp"

#include <string>
#include <vector>

namespace netsep {

enum class Severity { Note, Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code; // stable id, e.g. E201 or AIX-004
    std::string message;
    SourceSpan span;
    std::vector<std::pair<SourceSpan, std::string>> notes; // related locations
};

} // namespace netsep
