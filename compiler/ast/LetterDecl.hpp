#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

// letter "ID" { kind K firm "..." issued D expires D scope { ... } document sha256 HEX }
struct ScopeDecl {
    std::optional<WordList> purposes;
    std::optional<WordList> from;
    std::optional<WordList> to;
    std::optional<WordList> providers; // strings, quotes removed
    std::optional<WordList> services;
    SourceSpan span; // the `scope` keyword
};

struct LetterDecl {
    enum class Kind { NoActionLetter, Sandbox, SaasGeneral };
    Word id; // the string, quotes removed
    std::optional<Kind> kind;
    SourceSpan kindSpan;
    std::optional<Word> firm;
    std::optional<Word> issued;
    std::optional<Word> expires;
    std::optional<ScopeDecl> scope;
    std::optional<Word> documentAlgorithm; // "sha256"
    std::optional<Word> documentDigest;
    SourceSpan span;
};

} // namespace netsep::ast
