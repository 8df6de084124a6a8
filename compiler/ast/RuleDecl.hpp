#pragma once
#include "ast/Word.hpp"

#include <optional>

namespace netsep::ast {

enum class RuleKind { Access, Deny, Exception };

// Legal basis of an exception (audit rule AIX-002): `basis "ID"` names a
// declared letter (Kind::Letter); the other kinds are the deprecated inline
// form.
struct Basis {
    enum class Kind { NoActionLetter, Sandbox, SaasGeneral, Letter } kind = Kind::NoActionLetter;
    std::optional<Word> id;
    std::optional<Word> issued;
    SourceSpan span;
};

// access / deny / exception share their matching fields; exception-only
// fields stay empty for the other two (the parser only accepts them there).
struct RuleDecl {
    RuleKind kind = RuleKind::Access;
    Word name;
    std::optional<WordList> from; // "any" is spelled as a Word "any"
    std::optional<Word> as;
    std::optional<WordList> to;
    std::optional<WordList> services; // "any" or service names / inline specs
    bool log = false;
    std::optional<Word> justification;
    std::optional<Word> owner;
    // exception only
    std::optional<Word> purpose;
    std::optional<Basis> basis;
    std::optional<Word> expires;
    std::optional<Word> approvedBy;
    std::optional<Word> killSwitch;
    SourceSpan span;
    std::vector<std::pair<std::string, SourceSpan>> repeatedFields; // for E205
};

} // namespace netsep::ast
