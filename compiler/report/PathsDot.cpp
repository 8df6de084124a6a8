#include "report/Render.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace netsep::report {

namespace {

using namespace netsep::analysis;

// A DOT double-quoted string: only '"' and '\' need escaping; control
// bytes cannot occur in names but are dropped defensively.
std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
            continue;
        out += c;
    }
    return out + "\"";
}

// A label whose "\n" line breaks are ours: escape quotes only (policy names
// cannot contain backslashes or quotes; sema validates them).
std::string labelString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
            continue;
        out += c;
    }
    return out + "\"";
}

std::string nodeId(const PolicyGraph& g, const model::Policy& policy, uint32_t v) {
    const char* prefix = g.vertices[v].kind == VertexKind::Zone    ? "zone:"
                         : g.vertices[v].kind == VertexKind::Group ? "group:"
                                                                   : "saas:";
    return quote(prefix + g.name(v, policy));
}

const char* levelColour(std::optional<model::Level> l) {
    if (!l)
        return "#e8e8e8";
    switch (*l) {
    case model::Level::Open:
        return "#d8f0d8";
    case model::Level::Sensitive:
        return "#fff0b0";
    case model::Level::Classified:
        return "#f6c4c4";
    }
    return "#e8e8e8";
}

} // namespace

std::string pathsDot(const Result& result, const model::Policy& policy) {
    if (!result.error.empty() || !result.graph)
        return "digraph netsep {}\n";
    const PolicyGraph& g = *result.graph;
    const size_t n = g.vertexCount();

    std::vector<uint8_t> exposed(n, 0), target(n, 0);
    for (const Unit& u : result.exposed)
        for (uint32_t v : u.vertices)
            exposed[v] = 1;
    for (const Unit& u : result.targets)
        for (uint32_t v : u.vertices)
            target[v] = 1;
    // Edge highlights: 1 = lateral witness, 2 = exfiltration witness.
    std::map<uint32_t, uint8_t> highlight;
    for (const PathSet& ps : result.lateral)
        if (!ps.paths.empty())
            for (const Hop& h : ps.paths[0].hops)
                highlight[h.edge] |= 1;
    for (const PathSet& ps : result.exfiltration)
        if (!ps.paths.empty())
            for (const Hop& h : ps.paths[0].hops)
                highlight[h.edge] |= 2;

    std::string out;
    out += "digraph netsep {\n";
    out += fmt::format("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];\n",
                       quote("policy " + policy.name + " as of " + result.asOf.str()));
    out += "  node [fontname=\"Helvetica\", style=filled, shape=box];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";

    auto node = [&](uint32_t v, const std::string& indent) {
        const Vertex& x = g.vertices[v];
        std::string label = g.name(v, policy);
        std::string shape = "box";
        if (x.kind == VertexKind::Zone) {
            const model::Zone& z = policy.zones[x.index];
            std::vector<std::string> attrs;
            if (z.kind)
                attrs.push_back(model::zoneKindName(*z.kind));
            if (z.level)
                attrs.push_back(model::levelName(*z.level));
            if (z.crownJewel)
                attrs.push_back("crown-jewel");
            if (z.isolated)
                attrs.push_back("isolated");
            if (!attrs.empty()) {
                label += "\\n";
                for (size_t i = 0; i < attrs.size(); ++i)
                    label += (i ? ", " : "") + attrs[i];
            }
        } else if (x.kind == VertexKind::Group) {
            shape = "ellipse";
        } else {
            shape = "component";
        }
        std::string fill = x.kind == VertexKind::Saas ? "#cfe3ff" : levelColour(g.level(v, policy));
        const std::string q = labelString(label);
        out += fmt::format("{}{} [label={}, shape={}, fillcolor=\"{}\"{}{}];\n", indent,
                           nodeId(g, policy, v), q, shape, fill,
                           exposed[v] ? ", peripheries=2" : "", target[v] ? ", penwidth=2.5" : "");
    };

    for (uint32_t z = 0; z < policy.zones.size(); ++z) {
        const uint32_t zv = g.zoneVertex[z];
        if (g.zoneGroups[z].empty()) {
            node(zv, "  ");
            continue;
        }
        out += fmt::format("  subgraph {} {{\n", quote("cluster_" + policy.zones[z].name));
        out += fmt::format("    label={}; style=\"rounded,dashed\"; color=\"#888888\";\n",
                           quote(policy.zones[z].name));
        node(zv, "    ");
        for (uint32_t gv : g.zoneGroups[z])
            node(gv, "    ");
        out += "  }\n";
    }
    for (uint32_t s = 0; s < policy.saas.size(); ++s)
        node(g.saasVertex[s], "  ");

    for (uint32_t i = 0; i < g.edges.size(); ++i) {
        const Edge& e = g.edges[i];
        if (e.intra && e.rulesBegin == e.rulesEnd) {
            // Drawn once per pair, from the group to its zone.
            if (g.vertices[e.src].kind != VertexKind::Group)
                continue;
            // Highlight if either direction is on a witness path.
            uint8_t hl = 0;
            if (auto it = highlight.find(i); it != highlight.end())
                hl |= it->second;
            if (auto back = g.findEdge(e.dst, e.src))
                if (auto it = highlight.find(*back); it != highlight.end())
                    hl |= it->second;
            const char* colour = !hl ? "#888888" : (hl & 1) ? "#d00000" : "#7b1fa2";
            out +=
                fmt::format("  {} -> {} [dir=both, style=dashed, color=\"{}\", fontcolor=\"{}\", "
                            "arrowsize=0.6, label=\"intra-zone\", penwidth={}];\n",
                            nodeId(g, policy, e.src), nodeId(g, policy, e.dst), colour, colour,
                            hl ? "2.5" : "1");
            continue;
        }
        std::string label;
        for (uint32_t k = e.rulesBegin; k < e.rulesEnd; ++k) {
            const model::Rule& r = policy.rules[g.edgeRules[k].rule];
            if (!label.empty())
                label += "\\n";
            label += r.name + ": ";
            if (r.serviceAny) {
                label += "any";
            } else {
                std::string svcs;
                for (uint32_t s : r.services)
                    if (g.spaces.intersects(g.serviceSpace[s], e.allowed))
                        svcs += (svcs.empty() ? "" : ", ") + policy.services[s].name;
                label += svcs;
            }
        }
        if (e.intra)
            label += "\\n(intra-zone)";
        if (e.waived)
            label += "\\n(waived)";
        std::string style = !e.movement ? "dotted" : "solid";
        std::string colour = "#555555";
        std::string width = "1";
        auto h = highlight.find(i);
        if (h != highlight.end()) {
            colour = (h->second & 1) ? "#d00000" : "#7b1fa2";
            width = "2.5";
        }
        const std::string q = labelString(label);
        out += fmt::format("  {} -> {} [label={}, style={}, color=\"{}\", fontcolor=\"{}\", "
                           "penwidth={}];\n",
                           nodeId(g, policy, e.src), nodeId(g, policy, e.dst), q, style, colour,
                           colour, width);
    }
    out += "}\n";
    return out;
}

} // namespace netsep::report
