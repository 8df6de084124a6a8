#pragma once
#include "ast/Program.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "parse/FastLexer.hpp"

#include <functional>

namespace netsep::parse {

// Converts one statement to the AST straight from its tokens, for the fast
// parse path: the generated parser has accepted the statement (so its shape
// is the one grammar/Netsep.g4 defines) without building a parse tree, and
// this reader walks the tokens in that shape. It yields exactly what
// Transformer yields from the parse tree of the same statement (same words,
// spans and E205 diagnostics); the unit tests compare the two on every
// shipped policy and on random statements.
class StatementReader {
public:
    using IncludeHandler = std::function<void(const ast::Word& path)>;

    StatementReader(DiagnosticEngine& diags, uint32_t fileId, ast::Program& out,
                    IncludeHandler onInclude)
        : diags_(diags), file_(fileId), out_(out), onInclude_(std::move(onInclude)) {}

    // Tokens [first, last] of `tokens` form one statement the parser accepted.
    void read(FastTokenStream& tokens, size_t first, size_t last);

private:
    class Cursor;
    void policy(Cursor& c);
    void include(Cursor& c);
    void service(Cursor& c);
    void zone(Cursor& c);
    void group(Cursor& c);
    void identity(Cursor& c);
    void saas(Cursor& c);
    void rule(Cursor& c, bool exception);
    void firewall(Cursor& c);
    void expect(Cursor& c);
    void waive(Cursor& c);
    void killSwitch(Cursor& c);
    void letter(Cursor& c);
    ast::ScopeDecl scope(Cursor& c, SourceSpan at);
    ast::WordList endpointList(Cursor& c);
    ast::WordList serviceList(Cursor& c);
    ast::Basis basis(Cursor& c);

    template <typename T>
    void setOnce(std::optional<T>& slot, T value, const char* field, SourceSpan at);

    DiagnosticEngine& diags_;
    uint32_t file_;
    ast::Program& out_;
    IncludeHandler onInclude_;
};

} // namespace netsep::parse
