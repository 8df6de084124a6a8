#pragma once
// Helpers for unit tests: run the front end over an in-memory policy.
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"
#include "parse/PolicyLoader.hpp"
#include "sema/Sema.hpp"

#include <memory>
#include <sstream>
#include <string>

namespace netsep::test {

struct Compiled {
    SourceManager sources;
    DiagnosticEngine diags{sources};
    ast::Program program;
    model::Policy policy;
    bool ok = false;

    std::string diagnostics() const {
        std::ostringstream s;
        diags.print(s);
        return s.str();
    }
};

inline std::unique_ptr<Compiled> compileText(const std::string& text) {
    auto c = std::make_unique<Compiled>();
    uint32_t id = c->sources.add("test.nsp", "/test.nsp", text);
    parseSource(id, c->sources, c->diags, c->program, [](const ast::Word&) {});
    if (!c->diags.hasErrors())
        c->ok = sema::buildPolicy(c->program, c->diags, c->policy);
    return c;
}

} // namespace netsep::test
