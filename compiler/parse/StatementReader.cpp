#include "parse/StatementReader.hpp"

#include "parse/TokenValue.hpp"

#include "NetsepParser.h"

namespace netsep::parse {

using P = NetsepParser;

// Reads the tokens of one accepted statement in order.
class StatementReader::Cursor {
public:
    Cursor(FastTokenStream& tokens, size_t first, size_t last, uint32_t file,
           DiagnosticEngine& diags)
        : tokens_(tokens), i_(first), last_(last), file_(file), diags_(diags) {}

    // Type of the current token; EOF past the statement's end.
    size_t type() const { return i_ <= last_ ? tokens_.at(i_).getType() : antlr4::Token::EOF; }
    bool at(size_t t) const { return type() == t; }
    const FastToken& next() { return tokens_.at(i_++); }
    void skip() { ++i_; }
    bool accept(size_t t) {
        if (!at(t))
            return false;
        ++i_;
        return true;
    }

    SourceSpan span(const FastToken& t) const {
        SourceSpan s{file_, uint32_t(t.getLine()), uint32_t(t.getCharPositionInLine() + 1), 1};
        if (t.getStopIndex() >= t.getStartIndex())
            s.length = uint32_t(t.getStopIndex() - t.getStartIndex() + 1);
        return s;
    }
    SourceSpan span() const { return span(tokens_.at(i_)); }
    ast::Word word() {
        const FastToken& t = next();
        ast::Word w{std::string(t.view()), span(t)};
        checkWordLength(w.text, w.span, diags_);
        return w;
    }
    // WORD (COMMA WORD)*, appended to `out`.
    void words(ast::WordList& out) {
        out.push_back(word());
        while (accept(NetsepParser::COMMA))
            out.push_back(word());
    }
    // A STRING token without its quotes, escapes resolved.
    ast::Word string() {
        const FastToken& t = next();
        const SourceSpan at = span(t);
        return {stringValue(t.view(), at, diags_), at};
    }

private:
    FastTokenStream& tokens_;
    size_t i_, last_;
    uint32_t file_;
    DiagnosticEngine& diags_;
};

template <typename T>
void StatementReader::setOnce(std::optional<T>& slot, T value, const char* field, SourceSpan at) {
    if (slot) {
        diags_.error("E205", at, std::string("field '") + field + "' is given more than once");
        return;
    }
    slot = std::move(value);
}

void StatementReader::read(FastTokenStream& tokens, size_t first, size_t last) {
    Cursor c(tokens, first, last, file_, diags_);
    switch (c.type()) {
    case P::POLICY:
        return policy(c);
    case P::INCLUDE:
        return include(c);
    case P::SERVICE:
        return service(c);
    case P::ZONE:
        return zone(c);
    case P::GROUP:
        return group(c);
    case P::IDENTITY:
        return identity(c);
    case P::SAAS:
        return saas(c);
    case P::ACCESS:
    case P::DENY:
        return rule(c, false);
    case P::EXCEPTION:
        return rule(c, true);
    case P::FIREWALL:
        return firewall(c);
    case P::EXPECT:
        return expect(c);
    case P::WAIVE:
        return waive(c);
    case P::KILL_SWITCH:
        return killSwitch(c);
    case P::LETTER:
        return letter(c);
    default:
        return;
    }
}

// policyStmt : POLICY name LBRACE policyField* RBRACE ; policyField : OWNER STRING ;
void StatementReader::policy(Cursor& c) {
    ast::PolicyDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // {
    while (c.at(P::OWNER)) {
        SourceSpan at = c.span();
        c.skip();
        setOnce(d.owner, c.string(), "owner", at);
    }
    out_.policies.push_back(std::move(d));
}

// includeStmt : INCLUDE STRING ;
void StatementReader::include(Cursor& c) {
    c.skip();
    onInclude_(c.string());
}

// serviceStmt : SERVICE name portSpec (COMMA portSpec)* serviceFlag* ;
void StatementReader::service(Cursor& c) {
    ast::ServiceDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.words(d.ports);
    for (;;) {
        if (c.accept(P::NO_PIVOT))
            d.noPivot = true;
        else if (c.accept(P::TLS))
            d.tls = true;
        else
            break;
    }
    out_.services.push_back(std::move(d));
}

// zoneStmt : ZONE name (IN name)? LBRACE zoneField* RBRACE ;
void StatementReader::zone(Cursor& c) {
    ast::ZoneDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    if (c.accept(P::IN))
        d.parent = c.word();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::KIND:
            setOnce(d.kind, c.word(), "kind", at);
            break;
        case P::LEVEL:
            setOnce(d.level, c.word(), "level", at);
            break;
        case P::NETWORKS:
            c.words(d.networks);
            break;
        case P::CROWN_JEWEL:
            d.crownJewel = true;
            break;
        case P::ISOLATED:
            d.isolated = true;
            break;
        case P::QUARANTINE_ACCESS:
            d.quarantineAccess = true;
            break;
        default:
            break;
        }
    }
    out_.zones.push_back(std::move(d));
}

// groupStmt : GROUP name IN name LBRACE (WORD (COMMA WORD)*)? RBRACE ;
void StatementReader::group(Cursor& c) {
    ast::GroupDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // in
    d.zone = c.word();
    c.skip(); // {
    if (c.at(P::WORD)) {
        c.words(d.addresses);
    }
    out_.groups.push_back(std::move(d));
}

// identityStmt : IDENTITY name LBRACE identityField* RBRACE ;
void StatementReader::identity(Cursor& c) {
    ast::IdentityDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::IDP:
            setOnce(d.idp, c.string(), "idp", at);
            break;
        case P::GROUP:
            setOnce(d.group, c.string(), "group", at);
            break;
        case P::DEVICE:
            setOnce(d.device, c.word(), "device", at);
            break;
        case P::MFA:
            setOnce(d.mfa, c.word(), "mfa", at);
            break;
        default:
            break;
        }
    }
    out_.identities.push_back(std::move(d));
}

// saasStmt : SAAS name LBRACE saasField* RBRACE ;
void StatementReader::saas(Cursor& c) {
    ast::SaasDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::PROVIDER:
            setOnce(d.provider, c.string(), "provider", at);
            break;
        case P::FQDN:
            c.words(d.fqdns);
            break;
        case P::NETWORKS:
            c.words(d.networks);
            break;
        case P::SCREENING: {
            ast::Word ref = c.string();
            c.skip(); // on
            setOnce(d.screeningRef, std::move(ref), "screening", at);
            d.screeningDate = c.word(); // the last one given wins, as in Transformer
            break;
        }
        case P::BEHIND:
            setOnce(d.behind, c.word(), "behind", at);
            break;
        default:
            break;
        }
    }
    out_.saas.push_back(std::move(d));
}

// endpointList : endpoint (COMMA endpoint)* ; endpoint : ANY | name ;
ast::WordList StatementReader::endpointList(Cursor& c) {
    ast::WordList out;
    c.words(out);
    return out;
}

// serviceList : ANY | serviceRef (COMMA serviceRef)* ;
ast::WordList StatementReader::serviceList(Cursor& c) {
    ast::WordList out;
    if (c.at(P::ANY)) {
        out.push_back(c.word());
        return out;
    }
    c.words(out);
    return out;
}

// basis : STRING | NO_ACTION_LETTER STRING ISSUED WORD | SANDBOX STRING (ISSUED WORD)?
//       | SAAS_GENERAL ;
ast::Basis StatementReader::basis(Cursor& c) {
    ast::Basis b;
    b.span = c.span();
    if (c.at(P::STRING)) {
        b.kind = ast::Basis::Kind::Letter;
        b.id = c.string();
        return b;
    }
    switch (c.next().getType()) {
    case P::NO_ACTION_LETTER:
        b.kind = ast::Basis::Kind::NoActionLetter;
        b.id = c.string();
        c.skip(); // issued
        b.issued = c.word();
        break;
    case P::SANDBOX:
        b.kind = ast::Basis::Kind::Sandbox;
        b.id = c.string();
        if (c.accept(P::ISSUED))
            b.issued = c.word();
        break;
    default:
        b.kind = ast::Basis::Kind::SaasGeneral;
        break;
    }
    return b;
}

// ruleStmt : (ACCESS | DENY) name LBRACE ruleField* RBRACE ;
// exceptionStmt : EXCEPTION name LBRACE exceptionField* RBRACE ;
void StatementReader::rule(Cursor& c, bool exception) {
    ast::RuleDecl d;
    d.kind = exception       ? ast::RuleKind::Exception
             : c.at(P::DENY) ? ast::RuleKind::Deny
                             : ast::RuleKind::Access;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::FROM:
            setOnce(d.from, endpointList(c), "from", at);
            if (c.accept(P::AS)) {
                SourceSpan nameAt = c.span();
                setOnce(d.as, c.word(), "as", nameAt);
            }
            break;
        case P::TO:
            setOnce(d.to, endpointList(c), "to", at);
            break;
        case P::SERVICE:
            setOnce(d.services, serviceList(c), "service", at);
            break;
        case P::LOG:
            d.log = true;
            break;
        case P::JUSTIFICATION:
            setOnce(d.justification, c.string(), "justification", at);
            break;
        case P::OWNER:
            setOnce(d.owner, c.string(), "owner", at);
            break;
        case P::PURPOSE:
            setOnce(d.purpose, c.word(), "purpose", at);
            break;
        case P::BASIS:
            setOnce(d.basis, basis(c), "basis", at);
            break;
        case P::EXPIRES:
            setOnce(d.expires, c.word(), "expires", at);
            break;
        case P::APPROVED_BY:
            setOnce(d.approvedBy, c.string(), "approved-by", at);
            break;
        case P::KILL_SWITCH:
            setOnce(d.killSwitch, c.word(), "kill-switch", at);
            break;
        default:
            break;
        }
    }
    out_.rules.push_back(std::move(d));
}

// firewallStmt : FIREWALL name LBRACE firewallField* RBRACE ;
void StatementReader::firewall(Cursor& c) {
    ast::FirewallDecl d;
    d.span = c.span();
    c.skip();
    d.name = c.word();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::BACKEND:
            c.words(d.backends);
            break;
        case P::INTERFACE: {
            ast::Word name = c.word();
            c.skip(); // zone
            ast::InterfaceDecl i{std::move(name), c.word(), {}};
            if (c.accept(P::ON))
                do {
                    ast::Word backend = c.word();
                    i.aliases.push_back({std::move(backend), c.word()});
                } while (c.accept(P::COMMA));
            d.interfaces.push_back(std::move(i));
            break;
        }
        case P::IDENTITY_ENFORCED_BY:
            setOnce(d.identityEnforcedBy, c.word(), "identity-enforced-by", at);
            break;
        case P::FORWARD_POLICY:
            setOnce(d.forwardPolicy, c.word(), "forward-policy", at);
            break;
        default:
            break;
        }
    }
    out_.firewalls.push_back(std::move(d));
}

// expectStmt : EXPECT expectKind endpoint ARROW endpoint (SERVICE serviceList)? ;
void StatementReader::expect(Cursor& c) {
    ast::ExpectDecl d;
    d.span = c.span();
    c.skip();
    switch (c.next().getType()) {
    case P::ALLOW:
        d.kind = ast::ExpectKind::Allow;
        break;
    case P::DENY:
        d.kind = ast::ExpectKind::Deny;
        break;
    default:
        d.kind = ast::ExpectKind::NoPath;
        break;
    }
    d.from = c.word();
    c.skip(); // ->
    d.to = c.word();
    if (c.accept(P::SERVICE))
        d.services = serviceList(c);
    out_.expects.push_back(std::move(d));
}

// waiveStmt : WAIVE HOP endpoint ARROW endpoint (SERVICE serviceList)?
//             UNTIL WORD BECAUSE STRING TICKET STRING ;
void StatementReader::waive(Cursor& c) {
    ast::WaiveDecl d;
    d.span = c.span();
    c.skip(); // waive
    c.skip(); // hop
    d.from = c.word();
    c.skip(); // ->
    d.to = c.word();
    if (c.accept(P::SERVICE))
        d.services = serviceList(c);
    c.skip(); // until
    d.until = c.word();
    c.skip(); // because
    d.because = c.string();
    c.skip(); // ticket
    d.ticket = c.string();
    if (c.accept(P::OWNER))
        d.owner = c.string();
    out_.waivers.push_back(std::move(d));
}

// killSwitchStmt : KILL_SWITCH name ENGAGED SINCE WORD BY STRING TICKET STRING
//                  (REASON STRING)? ;
void StatementReader::killSwitch(Cursor& c) {
    ast::KillSwitchDecl d;
    d.span = c.span();
    c.skip(); // kill-switch
    d.group = c.word();
    c.skip(); // engaged
    c.skip(); // since
    d.since = c.word();
    c.skip(); // by
    d.by = c.string();
    c.skip(); // ticket
    d.ticket = c.string();
    if (c.accept(P::REASON))
        d.reason = c.string();
    out_.killSwitches.push_back(std::move(d));
}

// letterStmt : LETTER STRING LBRACE letterField* RBRACE ;
void StatementReader::letter(Cursor& c) {
    ast::LetterDecl d;
    d.span = c.span();
    c.skip();
    d.id = c.string();
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan at = c.span();
        switch (c.next().getType()) {
        case P::KIND: {
            SourceSpan kindAt = c.span();
            ast::LetterDecl::Kind k = c.at(P::NO_ACTION_LETTER)
                                          ? ast::LetterDecl::Kind::NoActionLetter
                                      : c.at(P::SANDBOX) ? ast::LetterDecl::Kind::Sandbox
                                                         : ast::LetterDecl::Kind::SaasGeneral;
            c.skip();
            if (!d.kind)
                d.kindSpan = kindAt;
            setOnce(d.kind, k, "kind", at);
            break;
        }
        case P::FIRM:
            setOnce(d.firm, c.string(), "firm", at);
            break;
        case P::ISSUED:
            setOnce(d.issued, c.word(), "issued", at);
            break;
        case P::EXPIRES:
            setOnce(d.expires, c.word(), "expires", at);
            break;
        case P::SCOPE:
            setOnce(d.scope, scope(c, at), "scope", at);
            break;
        case P::DOCUMENT: {
            ast::Word algorithm = c.word();
            ast::Word digest = c.word();
            if (!d.documentAlgorithm)
                d.documentDigest = std::move(digest);
            setOnce(d.documentAlgorithm, std::move(algorithm), "document", at);
            break;
        }
        default:
            break;
        }
    }
    out_.letters.push_back(std::move(d));
}

// SCOPE LBRACE scopeField* RBRACE, after the keyword.
ast::ScopeDecl StatementReader::scope(Cursor& c, SourceSpan at) {
    ast::ScopeDecl s;
    s.span = at;
    c.skip(); // {
    while (!c.at(P::RBRACE) && !c.at(antlr4::Token::EOF)) {
        SourceSpan field = c.span();
        switch (c.next().getType()) {
        case P::PURPOSE: {
            ast::WordList words;
            c.words(words);
            setOnce(s.purposes, std::move(words), "purpose", field);
            break;
        }
        case P::FROM:
            setOnce(s.from, endpointList(c), "from", field);
            break;
        case P::TO:
            setOnce(s.to, endpointList(c), "to", field);
            break;
        case P::PROVIDER: {
            ast::WordList names;
            names.push_back(c.string());
            while (c.accept(P::COMMA))
                names.push_back(c.string());
            setOnce(s.providers, std::move(names), "provider", field);
            break;
        }
        case P::SERVICE:
            setOnce(s.services, serviceList(c), "service", field);
            break;
        default:
            break;
        }
    }
    c.skip(); // }
    return s;
}

} // namespace netsep::parse
