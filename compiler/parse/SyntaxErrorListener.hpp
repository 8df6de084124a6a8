#pragma once
#include "diag/DiagnosticEngine.hpp"

#include <BaseErrorListener.h>

#include <set>

namespace netsep {

// Turns ANTLR's syntax errors into located diagnostics in plain words
// ("expected a name, found '{'") instead of token-type dumps.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
    SyntaxErrorListener(DiagnosticEngine& diags, uint32_t fileId) : diags_(diags), file_(fileId) {}

    void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offendingSymbol, size_t line,
                     size_t charPositionInLine, const std::string& msg,
                     std::exception_ptr e) override;

    size_t errors() const { return count_; }

private:
    DiagnosticEngine& diags_;
    uint32_t file_;
    size_t count_ = 0;
    std::set<size_t> lines_; // one report per line: later ones are recovery noise
};

} // namespace netsep
