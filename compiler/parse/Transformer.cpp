#include "parse/Transformer.hpp"

#include "parse/TokenValue.hpp"

namespace netsep {

SourceSpan Transformer::span(antlr4::Token* token) const {
    SourceSpan s{file_, static_cast<uint32_t>(token->getLine()),
                 static_cast<uint32_t>(token->getCharPositionInLine() + 1), 1};
    if (token->getStopIndex() >= token->getStartIndex())
        s.length = static_cast<uint32_t>(token->getStopIndex() - token->getStartIndex() + 1);
    return s;
}

// A statement's span is its first line from the keyword to the end of that
// token run; diagnostics point at the keyword, which is what users scan for.
SourceSpan Transformer::span(antlr4::ParserRuleContext& ctx) const {
    return span(ctx.getStart());
}

ast::Word Transformer::word(antlr4::tree::TerminalNode* node) const {
    ast::Word w{node->getText(), span(node->getSymbol())};
    parse::checkWordLength(w.text, w.span, diags_);
    return w;
}

ast::Word Transformer::string(antlr4::tree::TerminalNode* node) const {
    const SourceSpan at = span(node->getSymbol());
    return {parse::stringValue(node->getText(), at, diags_), at};
}

template <typename T>
void Transformer::setOnce(std::optional<T>& slot, T value, const char* field, SourceSpan at) {
    if (slot) {
        diags_.error("E205", at, std::string("field '") + field + "' is given more than once");
        return;
    }
    slot = std::move(value);
}

ast::Word Transformer::transformName(NetsepParser::NameContext& ctx) {
    return word(ctx.WORD());
}

void Transformer::transformFile(NetsepParser::FileContext& ctx) {
    for (auto* st : ctx.statement())
        transformStatement(*st);
}

void Transformer::transformStatement(NetsepParser::StatementContext& ctx) {
    if (auto* c = ctx.policyStmt())
        transformPolicy(*c);
    else if (auto* c = ctx.includeStmt())
        transformInclude(*c);
    else if (auto* c = ctx.serviceStmt())
        transformService(*c);
    else if (auto* c = ctx.zoneStmt())
        transformZone(*c);
    else if (auto* c = ctx.groupStmt())
        transformGroup(*c);
    else if (auto* c = ctx.identityStmt())
        transformIdentity(*c);
    else if (auto* c = ctx.saasStmt())
        transformSaas(*c);
    else if (auto* c = ctx.ruleStmt())
        transformRule(*c);
    else if (auto* c = ctx.exceptionStmt())
        transformException(*c);
    else if (auto* c = ctx.firewallStmt())
        transformFirewall(*c);
    else if (auto* c = ctx.expectStmt())
        transformExpect(*c);
    else if (auto* c = ctx.waiveStmt())
        transformWaive(*c);
    else if (auto* c = ctx.killSwitchStmt())
        transformKillSwitch(*c);
    else if (auto* c = ctx.letterStmt())
        transformLetter(*c);
}

void Transformer::transformPolicy(NetsepParser::PolicyStmtContext& ctx) {
    ast::PolicyDecl d;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.policyField())
        setOnce(d.owner, string(f->STRING()), "owner", span(*f));
    out_.policies.push_back(std::move(d));
}

void Transformer::transformInclude(NetsepParser::IncludeStmtContext& ctx) {
    onInclude_(string(ctx.STRING()));
}

void Transformer::transformService(NetsepParser::ServiceStmtContext& ctx) {
    ast::ServiceDecl d;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* p : ctx.portSpec())
        d.ports.push_back(word(p->WORD()));
    for (auto* f : ctx.serviceFlag()) {
        if (f->NO_PIVOT())
            d.noPivot = true;
        else if (f->TLS())
            d.tls = true;
    }
    out_.services.push_back(std::move(d));
}

void Transformer::transformZone(NetsepParser::ZoneStmtContext& ctx) {
    ast::ZoneDecl d;
    d.name = transformName(*ctx.name(0));
    if (ctx.name().size() > 1)
        d.parent = transformName(*ctx.name(1));
    d.span = span(ctx);
    for (auto* f : ctx.zoneField()) {
        if (auto* c = dynamic_cast<NetsepParser::ZoneKindContext*>(f))
            setOnce(d.kind, word(c->WORD()), "kind", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ZoneLevelContext*>(f))
            setOnce(d.level, word(c->WORD()), "level", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ZoneNetworksContext*>(f))
            for (auto* w : c->WORD())
                d.networks.push_back(word(w));
        else if (dynamic_cast<NetsepParser::ZoneCrownJewelContext*>(f))
            d.crownJewel = true;
        else if (dynamic_cast<NetsepParser::ZoneIsolatedContext*>(f))
            d.isolated = true;
        else if (dynamic_cast<NetsepParser::ZoneQuarantineAccessContext*>(f))
            d.quarantineAccess = true;
    }
    out_.zones.push_back(std::move(d));
}

void Transformer::transformGroup(NetsepParser::GroupStmtContext& ctx) {
    ast::GroupDecl d;
    d.name = transformName(*ctx.name(0));
    d.zone = transformName(*ctx.name(1));
    d.span = span(ctx);
    for (auto* w : ctx.WORD())
        d.addresses.push_back(word(w));
    out_.groups.push_back(std::move(d));
}

void Transformer::transformIdentity(NetsepParser::IdentityStmtContext& ctx) {
    ast::IdentityDecl d;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.identityField()) {
        if (auto* c = dynamic_cast<NetsepParser::IdentityIdpContext*>(f))
            setOnce(d.idp, string(c->STRING()), "idp", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::IdentityGroupContext*>(f))
            setOnce(d.group, string(c->STRING()), "group", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::IdentityDeviceContext*>(f))
            setOnce(d.device, word(c->WORD()), "device", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::IdentityMfaContext*>(f))
            setOnce(d.mfa, word(c->WORD()), "mfa", span(*c));
    }
    out_.identities.push_back(std::move(d));
}

void Transformer::transformSaas(NetsepParser::SaasStmtContext& ctx) {
    ast::SaasDecl d;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.saasField()) {
        if (auto* c = dynamic_cast<NetsepParser::SaasProviderContext*>(f))
            setOnce(d.provider, string(c->STRING()), "provider", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::SaasFqdnContext*>(f))
            for (auto* w : c->WORD())
                d.fqdns.push_back(word(w));
        else if (auto* c = dynamic_cast<NetsepParser::SaasNetworksContext*>(f))
            for (auto* w : c->WORD())
                d.networks.push_back(word(w));
        else if (auto* c = dynamic_cast<NetsepParser::SaasScreeningContext*>(f)) {
            setOnce(d.screeningRef, string(c->STRING()), "screening", span(*c));
            d.screeningDate = word(c->WORD());
        } else if (auto* c = dynamic_cast<NetsepParser::SaasBehindContext*>(f))
            setOnce(d.behind, transformName(*c->name()), "behind", span(*c));
    }
    out_.saas.push_back(std::move(d));
}

ast::Word Transformer::transformEndpoint(NetsepParser::EndpointContext& ctx) {
    if (ctx.ANY())
        return word(ctx.ANY());
    return transformName(*ctx.name());
}

ast::WordList Transformer::transformEndpointList(NetsepParser::EndpointListContext& ctx) {
    ast::WordList out;
    for (auto* e : ctx.endpoint())
        out.push_back(transformEndpoint(*e));
    return out;
}

ast::WordList Transformer::transformServiceList(NetsepParser::ServiceListContext& ctx) {
    ast::WordList out;
    if (ctx.ANY())
        out.push_back(word(ctx.ANY()));
    for (auto* r : ctx.serviceRef())
        out.push_back(word(r->WORD()));
    return out;
}

void Transformer::transformRule(NetsepParser::RuleStmtContext& ctx) {
    ast::RuleDecl d;
    d.kind = ctx.DENY() ? ast::RuleKind::Deny : ast::RuleKind::Access;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.ruleField()) {
        if (auto* c = dynamic_cast<NetsepParser::RuleFromContext*>(f)) {
            setOnce(d.from, transformEndpointList(*c->endpointList()), "from", span(*c));
            if (c->name())
                setOnce(d.as, transformName(*c->name()), "as", span(*c->name()));
        } else if (auto* c = dynamic_cast<NetsepParser::RuleToContext*>(f))
            setOnce(d.to, transformEndpointList(*c->endpointList()), "to", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::RuleServiceContext*>(f))
            setOnce(d.services, transformServiceList(*c->serviceList()), "service", span(*c));
        else if (dynamic_cast<NetsepParser::RuleLogContext*>(f))
            d.log = true;
        else if (auto* c = dynamic_cast<NetsepParser::RuleJustificationContext*>(f))
            setOnce(d.justification, string(c->STRING()), "justification", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::RuleOwnerContext*>(f))
            setOnce(d.owner, string(c->STRING()), "owner", span(*c));
    }
    out_.rules.push_back(std::move(d));
}

ast::Basis Transformer::transformBasis(NetsepParser::BasisContext& ctx) {
    ast::Basis b;
    b.span = span(ctx);
    if (auto* c = dynamic_cast<NetsepParser::BasisLetterContext*>(&ctx)) {
        b.kind = ast::Basis::Kind::Letter;
        b.id = string(c->STRING());
    } else if (auto* c = dynamic_cast<NetsepParser::BasisNoActionLetterContext*>(&ctx)) {
        b.kind = ast::Basis::Kind::NoActionLetter;
        b.id = string(c->STRING());
        b.issued = word(c->WORD());
    } else if (auto* c = dynamic_cast<NetsepParser::BasisSandboxContext*>(&ctx)) {
        b.kind = ast::Basis::Kind::Sandbox;
        b.id = string(c->STRING());
        if (c->WORD())
            b.issued = word(c->WORD());
    } else {
        b.kind = ast::Basis::Kind::SaasGeneral;
    }
    return b;
}

void Transformer::transformException(NetsepParser::ExceptionStmtContext& ctx) {
    ast::RuleDecl d;
    d.kind = ast::RuleKind::Exception;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.exceptionField()) {
        if (auto* c = dynamic_cast<NetsepParser::ExceptionFromContext*>(f)) {
            setOnce(d.from, transformEndpointList(*c->endpointList()), "from", span(*c));
            if (c->name())
                setOnce(d.as, transformName(*c->name()), "as", span(*c->name()));
        } else if (auto* c = dynamic_cast<NetsepParser::ExceptionToContext*>(f))
            setOnce(d.to, transformEndpointList(*c->endpointList()), "to", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionServiceContext*>(f))
            setOnce(d.services, transformServiceList(*c->serviceList()), "service", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionPurposeContext*>(f))
            setOnce(d.purpose, word(c->WORD()), "purpose", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionBasisContext*>(f))
            setOnce(d.basis, transformBasis(*c->basis()), "basis", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionExpiresContext*>(f))
            setOnce(d.expires, word(c->WORD()), "expires", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionApprovedByContext*>(f))
            setOnce(d.approvedBy, string(c->STRING()), "approved-by", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionKillSwitchContext*>(f))
            setOnce(d.killSwitch, transformName(*c->name()), "kill-switch", span(*c));
        else if (dynamic_cast<NetsepParser::ExceptionLogContext*>(f))
            d.log = true;
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionJustificationContext*>(f))
            setOnce(d.justification, string(c->STRING()), "justification", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ExceptionOwnerContext*>(f))
            setOnce(d.owner, string(c->STRING()), "owner", span(*c));
    }
    out_.rules.push_back(std::move(d));
}

void Transformer::transformFirewall(NetsepParser::FirewallStmtContext& ctx) {
    ast::FirewallDecl d;
    d.name = transformName(*ctx.name());
    d.span = span(ctx);
    for (auto* f : ctx.firewallField()) {
        if (auto* c = dynamic_cast<NetsepParser::FirewallBackendContext*>(f))
            for (auto* n : c->name())
                d.backends.push_back(transformName(*n));
        else if (auto* c = dynamic_cast<NetsepParser::FirewallInterfaceContext*>(f)) {
            ast::InterfaceDecl i{transformName(*c->name(0)), transformName(*c->name(1)), {}};
            for (auto* a : c->interfaceAlias())
                i.aliases.push_back({transformName(*a->name(0)), transformName(*a->name(1))});
            d.interfaces.push_back(std::move(i));
        } else if (auto* c = dynamic_cast<NetsepParser::FirewallIdentityEnforcedByContext*>(f))
            setOnce(d.identityEnforcedBy, transformName(*c->name()), "identity-enforced-by",
                    span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::FirewallForwardPolicyContext*>(f))
            setOnce(d.forwardPolicy, word(c->WORD()), "forward-policy", span(*c));
    }
    out_.firewalls.push_back(std::move(d));
}

void Transformer::transformExpect(NetsepParser::ExpectStmtContext& ctx) {
    ast::ExpectDecl d;
    auto* k = ctx.expectKind();
    d.kind = k->ALLOW()  ? ast::ExpectKind::Allow
             : k->DENY() ? ast::ExpectKind::Deny
                         : ast::ExpectKind::NoPath;
    d.from = transformEndpoint(*ctx.endpoint(0));
    d.to = transformEndpoint(*ctx.endpoint(1));
    if (ctx.serviceList())
        d.services = transformServiceList(*ctx.serviceList());
    d.span = span(ctx);
    out_.expects.push_back(std::move(d));
}

void Transformer::transformWaive(NetsepParser::WaiveStmtContext& ctx) {
    ast::WaiveDecl d;
    d.from = transformEndpoint(*ctx.endpoint(0));
    d.to = transformEndpoint(*ctx.endpoint(1));
    if (ctx.serviceList())
        d.services = transformServiceList(*ctx.serviceList());
    d.until = word(ctx.WORD());
    d.because = string(ctx.STRING(0));
    d.ticket = string(ctx.STRING(1));
    if (ctx.OWNER())
        d.owner = string(ctx.STRING(2));
    d.span = span(ctx);
    out_.waivers.push_back(std::move(d));
}

void Transformer::transformKillSwitch(NetsepParser::KillSwitchStmtContext& ctx) {
    ast::KillSwitchDecl d;
    d.group = transformName(*ctx.name());
    d.since = word(ctx.WORD());
    d.by = string(ctx.STRING(0));
    d.ticket = string(ctx.STRING(1));
    if (ctx.REASON())
        d.reason = string(ctx.STRING(2));
    d.span = span(ctx);
    out_.killSwitches.push_back(std::move(d));
}

void Transformer::transformLetter(NetsepParser::LetterStmtContext& ctx) {
    ast::LetterDecl d;
    d.id = string(ctx.STRING());
    d.span = span(ctx);
    for (auto* f : ctx.letterField()) {
        if (auto* c = dynamic_cast<NetsepParser::LetterKindFieldContext*>(f)) {
            auto* k = c->letterKind();
            auto kind = k->NO_ACTION_LETTER() ? ast::LetterDecl::Kind::NoActionLetter
                        : k->SANDBOX()        ? ast::LetterDecl::Kind::Sandbox
                                              : ast::LetterDecl::Kind::SaasGeneral;
            if (!d.kind)
                d.kindSpan = span(*k);
            setOnce(d.kind, kind, "kind", span(*c));
        } else if (auto* c = dynamic_cast<NetsepParser::LetterFirmContext*>(f))
            setOnce(d.firm, string(c->STRING()), "firm", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::LetterIssuedContext*>(f))
            setOnce(d.issued, word(c->WORD()), "issued", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::LetterExpiresContext*>(f))
            setOnce(d.expires, word(c->WORD()), "expires", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::LetterScopeContext*>(f))
            setOnce(d.scope, transformScope(*c), "scope", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::LetterDocumentContext*>(f)) {
            if (!d.documentAlgorithm)
                d.documentDigest = word(c->WORD(1));
            setOnce(d.documentAlgorithm, word(c->WORD(0)), "document", span(*c));
        }
    }
    out_.letters.push_back(std::move(d));
}

ast::ScopeDecl Transformer::transformScope(NetsepParser::LetterScopeContext& ctx) {
    ast::ScopeDecl s;
    s.span = span(ctx);
    for (auto* f : ctx.scopeField()) {
        if (auto* c = dynamic_cast<NetsepParser::ScopePurposeContext*>(f)) {
            ast::WordList words;
            for (auto* w : c->WORD())
                words.push_back(word(w));
            setOnce(s.purposes, std::move(words), "purpose", span(*c));
        } else if (auto* c = dynamic_cast<NetsepParser::ScopeFromContext*>(f))
            setOnce(s.from, transformEndpointList(*c->endpointList()), "from", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ScopeToContext*>(f))
            setOnce(s.to, transformEndpointList(*c->endpointList()), "to", span(*c));
        else if (auto* c = dynamic_cast<NetsepParser::ScopeProviderContext*>(f)) {
            ast::WordList names;
            for (auto* n : c->STRING())
                names.push_back(string(n));
            setOnce(s.providers, std::move(names), "provider", span(*c));
        } else if (auto* c = dynamic_cast<NetsepParser::ScopeServiceContext*>(f))
            setOnce(s.services, transformServiceList(*c->serviceList()), "service", span(*c));
    }
    return s;
}

} // namespace netsep
