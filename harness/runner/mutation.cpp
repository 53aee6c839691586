// semget-mutation: proves the suite's strength. It runs every case against the faithful pass-through and
// against each mutant (fixtures/impls/mutants/<name>.c, built as <build>/impls/libsemget-impl-<name>.so), each
// wrong on purpose in exactly one way, and reports which rows killed each mutant (made a case fail, error,
// crash or time out; a row whose cases only errored, crashed or timed out is marked, e.g. "D16(error)").
// Exit status: 0 when every mutant was killed and the pass-through had no failure; 1 otherwise; 2 for usage
// or setup errors; 77 with --needs-root when not root; 128+signal when interrupted.
#include "../host/results.hpp"
#include "../host/suite.hpp"
#include "../host/target.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

#ifndef SEMGET_IMPLS_SOURCE_DIR
#define SEMGET_IMPLS_SOURCE_DIR "fixtures/impls"
#endif
#ifndef SEMGET_IMPLS_BUILD_DIR
#define SEMGET_IMPLS_BUILD_DIR "impls"
#endif

using namespace conformance;
namespace fs = std::filesystem;

namespace {

std::string beside_me(const std::string& name) {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? name : (self.parent_path() / name).string();
}

// The object CMake builds from fixtures/impls/<name>.c or mutants/<name>.c (target semget-impl-<name>).
const std::string kPrefix = "libsemget-impl-";
std::string object_name(const std::string& name) { return kPrefix + name + ".so"; }

// No expectations apply to the mutants, so a failing outcome is a kill.
bool kills(const std::string& outcome) { return is_failing(outcome); }

// The mutant's one-line defect: the "/* Defect: ... */" line at the top of its source.
std::string defect_of(const fs::path& source) {
    std::ifstream in(source);
    std::string line;
    for (int i = 0; i < 5 && std::getline(in, line); ++i) {
        auto p = line.find("Defect:");
        if (p == std::string::npos) continue;
        std::string d = line.substr(p + 7);
        auto end = d.rfind("*/");
        if (end != std::string::npos) d.erase(end);
        d.erase(0, d.find_first_not_of(' '));
        d.erase(d.find_last_not_of(' ') + 1);
        return d;
    }
    return "(no Defect: line in " + source.string() + ")";
}

struct Row {
    std::string name, defect, verdict;  // KILLED | SURVIVED | NOT BUILT | ERROR
    std::vector<std::string> killers;   // row ids (a case's id up to its first '.'), in table order
    std::string note;                   // why a mutant could not be judged
    double seconds = 0;
};

struct Outcome {
    Run run;
    std::string error;  // the session could not start
    int interrupted = 0;
};

Outcome judge_impl(const std::string& so, const std::vector<const Case*>& cases, const std::string& build_dir,
                   int jobs) {
    Outcome out;
    Target t = impl_target(so);
    if (auto why = unavailable(t, build_dir)) {
        out.error = *why;
        return out;
    }
    RunOptions opt;
    opt.target = t.name;
    opt.session = session_options(t, build_dir, "");  // a shared object boots nothing: no scratch folder
    opt.session.jobs = jobs;
    try {
        out.run = run_cases(cases, opt);
        out.interrupted = out.run.interrupted;
    } catch (const SessionError& e) {
        out.error = e.what();
        if (out.error.rfind("interrupted by signal ", 0) == 0) out.interrupted = std::stoi(out.error.substr(22));
    }
    return out;
}

// Catalogue order: A1 < A2 < A10 < B1.
bool catalogue_order(const std::string& a, const std::string& b) {
    auto num = [](const std::string& s) { return std::atoi(s.c_str() + 1); };
    return a[0] != b[0] ? a[0] < b[0] : num(a) < num(b);
}

std::string joined(const std::vector<std::string>& ids, size_t width) {
    std::string s;
    for (size_t i = 0; i < ids.size(); ++i) {
        std::string next = (i ? "," : "") + ids[i];
        std::string more = " (+" + std::to_string(ids.size() - i) + ")";
        if (width && s.size() + next.size() + (i + 1 < ids.size() ? 8 : 0) > width) return s + more;
        s += next;
    }
    return s;
}

std::string cell(std::string s) {  // a Markdown table cell
    for (size_t p = 0; (p = s.find('|', p)) != std::string::npos; p += 2) s.replace(p, 1, "\\|");
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Runs the whole suite against every mutant implementation of semget/semctl and reports which rows "
                 "killed each one."};
    std::vector<std::string> objects;
    std::string sources = SEMGET_IMPLS_SOURCE_DIR, impls_dir = SEMGET_IMPLS_BUILD_DIR;
    std::string tables = std::string(SEMGET_TABLES_DIR), markdown, passthrough;
    std::string progress = isatty(2) ? "on" : "off";
    int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
    app.add_option("objects", objects, "Mutant shared objects to judge (default: every mutants/*.c, built)")
        ->check(CLI::ExistingFile);
    app.add_option("--impls-dir", impls_dir, "Folder of the built objects (libsemget-impl-<name>.so)");
    app.add_option("--sources", sources, "Folder of the objects' sources (passthrough.c, mutants/*.c)")
        ->check(CLI::ExistingDirectory);
    app.add_option("--passthrough", passthrough, "The faithful object (default: <impls-dir>/libsemget-impl-passthrough.so)");
    app.add_option("--tables", tables, "Folder of spec tables")->check(CLI::ExistingDirectory);
    app.add_option("-j,--jobs", jobs, "Cases run at once within each run")->check(CLI::Range(1, 256));
    app.add_option("--markdown,--out", markdown, "Also write the table as Markdown to this file");
    app.add_option("--progress", progress, "Progress line on stderr (default: on for a terminal)")
        ->check(CLI::IsMember({"on", "off"}));
    bool needs_root = false;
    app.add_flag("--needs-root", needs_root,
                 "Exit 77 (a skip for CTest) unless root: unprivileged runs skip the rows that switch uids");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (needs_root && geteuid() != 0) {
        std::cout << "semget-mutation: not root; the rows that kill the permission mutants need other uids\n";
        return 77;
    }

    std::vector<Case> all;
    try {
        all = load_tables(tables);
    } catch (const TableError& e) {
        std::cerr << "semget-mutation: bad spec table: " << e.what() << "\n";
        return 2;
    }
    const auto cases = select(all, {}, nullptr);
    const std::string build_dir = fs::path(beside_me("x")).parent_path().string();

    // The mutants: those named on the command line, else one per mutants/*.c.
    std::vector<std::pair<std::string, fs::path>> mutants;  // name, object
    if (objects.empty()) {
        std::vector<fs::path> srcs;
        std::error_code ec;
        for (auto& e : fs::directory_iterator(fs::path(sources) / "mutants", ec))
            if (e.path().extension() == ".c") srcs.push_back(e.path());
        std::sort(srcs.begin(), srcs.end());
        for (auto& s : srcs) mutants.emplace_back(s.stem().string(), fs::path(impls_dir) / object_name(s.stem().string()));
        if (mutants.empty()) {
            std::cerr << "semget-mutation: no mutants/*.c under " << sources << "\n";
            return 2;
        }
    } else {
        for (auto& o : objects) {
            std::string name = fs::path(o).stem().string();
            if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
            mutants.emplace_back(name, fs::absolute(o));
        }
    }
    if (passthrough.empty()) passthrough = (fs::path(impls_dir) / object_name("passthrough")).string();

    const auto started = std::chrono::steady_clock::now();
    auto show = [&](const std::string& what, size_t i) {
        if (progress == "on")
            std::cerr << "\r\033[K[" << i << "/" << mutants.size() + 1 << "] " << what << std::flush;
    };

    // The faithful object first: a suite that fails it proves nothing about the mutants.
    show("passthrough", 0);
    Outcome base = judge_impl(passthrough, cases, build_dir, jobs);
    if (base.interrupted) return 128 + base.interrupted;
    Counts base_counts;
    std::vector<std::string> base_failures;
    if (base.error.empty()) {
        base_counts = count({base.run});
        for (auto& r : base.run.results)
            if (kills(r.outcome)) base_failures.push_back(r.c->id + " (" + r.outcome + ": " + r.reason + ")");
    }

    std::vector<Row> rows;
    for (size_t i = 0; i < mutants.size(); ++i) {
        auto& [name, object] = mutants[i];
        show(name, i + 1);
        Row row;
        row.name = name;
        row.defect = defect_of(fs::path(sources) / "mutants" / (name + ".c"));
        const auto t0 = std::chrono::steady_clock::now();
        if (!fs::exists(object)) {
            row.verdict = "NOT BUILT";
            row.note = "no object at " + object.string();
        } else {
            Outcome o = judge_impl(object.string(), cases, build_dir, jobs);
            if (o.interrupted) {
                if (progress == "on") std::cerr << "\r\033[K";
                std::cerr << "semget-mutation: interrupted by signal " << o.interrupted << "\n";
                return 128 + o.interrupted;
            }
            if (!o.error.empty()) {
                row.verdict = "ERROR";
                row.note = o.error;
            } else {
                // A row that killed only by an error, crash or timeout (no failed check) says so: "D16(error)".
                std::map<std::string, std::string> how;
                for (auto& r : o.run.results) {
                    if (!kills(r.outcome)) continue;
                    auto& h = how[r.c->row()];
                    if (h.empty() || r.outcome == "fail") h = r.outcome;
                }
                for (auto& [id, outcome] : how) row.killers.push_back(outcome == "fail" ? id : id + "(" + outcome + ")");
                std::sort(row.killers.begin(), row.killers.end(), catalogue_order);
                row.verdict = row.killers.empty() ? "SURVIVED" : "KILLED";
            }
        }
        row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        rows.push_back(row);
    }
    if (progress == "on") std::cerr << "\r\033[K";
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The table.
    size_t wname = 6, wdefect = 6;
    for (auto& r : rows) wname = std::max(wname, r.name.size());
    for (auto& r : rows) wdefect = std::max(wdefect, r.defect.size());
    std::cout << std::left << std::setw(int(wname)) << "mutant" << "  " << std::setw(int(wdefect)) << "defect" << "  "
              << std::setw(9) << "verdict" << "  killed by (rows)\n";
    for (auto& r : rows) {
        std::cout << std::setw(int(wname)) << r.name << "  " << std::setw(int(wdefect)) << r.defect << "  "
                  << std::setw(9) << r.verdict << "  " << (r.note.empty() ? joined(r.killers, 48) : r.note) << "\n";
    }
    int killed = 0;
    for (auto& r : rows) killed += r.verdict == "KILLED";
    const int total = int(rows.size());
    std::ostringstream pct;
    pct << (total ? (100 * killed) / total : 0) << "%";
    std::string base_text;
    if (!base.error.empty()) {
        base_text = "did not run (" + base.error + ")";
    } else {
        base_text = std::to_string(base_counts.get("pass")) + " passed, " + std::to_string(base_counts.get("fail")) +
                    " failed, " + std::to_string(base_counts.get("skip")) + " skipped";
        for (auto [o, plural] : {std::pair{"error", "errors"}, {"crash", "crashes"}, {"timeout", "timeouts"}})
            if (base_counts.get(o)) base_text += ", " + std::to_string(base_counts.get(o)) + " " + plural;
    }
    for (auto& f : base_failures) std::cout << "pass-through: " << f << "\n";
    std::ostringstream took;
    took << std::fixed << std::setprecision(1) << seconds;
    const std::string summary = "mutation: " + std::to_string(killed) + " of " + std::to_string(total) + " killed (" +
                                pct.str() + "); pass-through: " + base_text;
    std::cout << "time: " << took.str() << " s for " << total + 1 << " full runs of " << cases.size()
              << " cases (jobs " << jobs << ")\n";
    std::cout << summary << "\n";

    if (!markdown.empty()) {
        std::ofstream md(markdown);
        md << "# Mutation run\n\n"
           << "Each mutant is an implementation of semget/semctl with exactly one defect "
              "(`fixtures/impls/mutants/`); a row kills it when one of its cases fails, errors, crashes or times "
              "out against it.\n\n"
           << "| mutant | defect | verdict | killed by (rows) |\n|---|---|---|---|\n";
        for (auto& r : rows)
            md << "| `" << r.name << "` | " << cell(r.defect) << " | " << r.verdict << " | "
               << cell(r.note.empty() ? joined(r.killers, 0) : r.note) << " |\n";
        md << "\n" << summary << "\n\n" << "time: " << took.str() << " s for " << total + 1 << " full runs of "
           << cases.size() << " cases (jobs " << jobs << ")\n";
        for (auto& f : base_failures) md << "\npass-through: " << cell(f) << "\n";
        if (!md) {
            std::cerr << "semget-mutation: cannot write " << markdown << "\n";
            return 2;
        }
    }
    const bool base_ok = base.error.empty() && base_failures.empty();
    return killed == total && total > 0 && base_ok ? 0 : 1;
}
