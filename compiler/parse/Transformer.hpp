#pragma once
#include "ast/Program.hpp"
#include "diag/DiagnosticEngine.hpp"

#include "NetsepParser.h"

#include <functional>

namespace netsep {

// Parse tree -> AST, one transformX per grammar rule. The AST copies text
// and spans out of the tree; no parse-tree pointer survives this class.
class Transformer {
public:
    using IncludeHandler = std::function<void(const ast::Word& path)>;

    Transformer(DiagnosticEngine& diags, uint32_t fileId, ast::Program& out,
                IncludeHandler onInclude)
        : diags_(diags), file_(fileId), out_(out), onInclude_(std::move(onInclude)) {}

    void transformFile(NetsepParser::FileContext& ctx);

private:
    void transformStatement(NetsepParser::StatementContext& ctx);
    void transformPolicy(NetsepParser::PolicyStmtContext& ctx);
    void transformInclude(NetsepParser::IncludeStmtContext& ctx);
    void transformService(NetsepParser::ServiceStmtContext& ctx);
    void transformZone(NetsepParser::ZoneStmtContext& ctx);
    void transformGroup(NetsepParser::GroupStmtContext& ctx);
    void transformIdentity(NetsepParser::IdentityStmtContext& ctx);
    void transformSaas(NetsepParser::SaasStmtContext& ctx);
    void transformRule(NetsepParser::RuleStmtContext& ctx);
    void transformException(NetsepParser::ExceptionStmtContext& ctx);
    void transformFirewall(NetsepParser::FirewallStmtContext& ctx);
    void transformExpect(NetsepParser::ExpectStmtContext& ctx);
    void transformWaive(NetsepParser::WaiveStmtContext& ctx);
    void transformKillSwitch(NetsepParser::KillSwitchStmtContext& ctx);
    void transformLetter(NetsepParser::LetterStmtContext& ctx);
    ast::ScopeDecl transformScope(NetsepParser::LetterScopeContext& ctx);
    ast::Basis transformBasis(NetsepParser::BasisContext& ctx);
    ast::WordList transformEndpointList(NetsepParser::EndpointListContext& ctx);
    ast::Word transformEndpoint(NetsepParser::EndpointContext& ctx);
    ast::WordList transformServiceList(NetsepParser::ServiceListContext& ctx);
    ast::Word transformName(NetsepParser::NameContext& ctx);

    ast::Word word(antlr4::tree::TerminalNode* node) const;
    ast::Word string(antlr4::tree::TerminalNode* node) const;
    SourceSpan span(antlr4::Token* token) const;
    SourceSpan span(antlr4::ParserRuleContext& ctx) const;
    // Sets an optional field, reporting E205 when the field was already given.
    template <typename T>
    void setOnce(std::optional<T>& slot, T value, const char* field, SourceSpan at);

    DiagnosticEngine& diags_;
    uint32_t file_;
    ast::Program& out_;
    IncludeHandler onInclude_;
};

} // namespace netsep
