#pragma once
#include "analysis/PolicyGraph.hpp"
#include "audit/Audit.hpp"

namespace netsep::audit {

// Answers the audit's path questions on the policy graph of the analysis.
class GraphPathOracle : public PathOracle {
public:
    GraphPathOracle(const analysis::PolicyGraph& graph, const model::Policy& policy)
        : g_(graph), p_(policy) {}

    std::string dataPathInto(const model::Endpoint& source) const override;
    std::string exfiltrationWithoutException(uint32_t zone) const override;
    std::string lateralFrom(const model::Endpoint& holder) const override;
    std::string pathIntoDatacenter(uint32_t zone) const override;

private:
    enum class Edges { Flow, Movement, FlowWithoutExceptions };
    // Shortest path (by hops) from any of `from` to a vertex satisfying
    // `isTarget`, rendered "a → b → c"; "" when there is none.
    template <typename Pred>
    std::string shortest(const std::vector<uint32_t>& from, Pred isTarget, Edges edges) const;
    bool edgeUsable(const analysis::Edge& e, Edges edges) const;
    std::optional<model::ZoneKind> zoneKind(uint32_t v) const;
    bool isTarget(uint32_t v) const;

    const analysis::PolicyGraph& g_;
    const model::Policy& p_;
};

} // namespace netsep::audit
