#pragma once
#include "diag/Diagnostic.hpp"

#include <string_view>
#include <vector>

namespace netsep::diag {

// Severities a code may be reported with (a bit per Severity).
enum SeverityMask : unsigned { kNote = 1, kWarning = 2, kError = 4 };

constexpr unsigned maskOf(Severity s) {
    return s == Severity::Error ? kError : s == Severity::Warning ? kWarning : kNote;
}

// One stable diagnostic code. The table in docs/reference.md lists exactly
// these, with the same severities and titles (tests/unit/reference_test.cpp).
struct CodeInfo {
    std::string_view code;
    unsigned severities; // SeverityMask bits
    std::string_view title;
};

// Every code netsep can report, in documentation order. A diagnostic whose
// code is missing here, or whose severity the entry does not allow, is a
// programming error (DiagnosticEngine::report throws).
const std::vector<CodeInfo>& diagnosticCodes();
const CodeInfo* findCode(std::string_view code);

} // namespace netsep::diag
