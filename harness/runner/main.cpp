// semget-conformance: runs the catalogue's cases against an implementation of semget and reports.
// Exit status: 0 nothing failed, 1 something failed (fail, error, timeout or crash), 2 usage or setup error.
#include "../host/expectations.hpp"
#include "../host/interrupts.hpp"
#include "../host/results.hpp"
#include "../host/suite.hpp"
#include "../host/target.hpp"
#include "reports/reports.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <functional>
#include <thread>
#include <unistd.h>

#ifndef SEMGET_FIXTURES_DIR
#define SEMGET_FIXTURES_DIR "fixtures"
#endif

using namespace conformance;

namespace {

std::string beside_me(const std::string& name) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? name : (self.parent_path() / name).string();
}

// Every case of a target that could not run carries the same outcome and reason.
Run whole_run(const std::vector<const Case*>& cases, const Target& t, const std::string& outcome,
              const std::string& reason) {
    Run run;
    run.target = t.name;
    run.description = t.description;
    for (auto* c : cases) {
        Result r;
        r.c = c;
        r.target = t.name;
        r.outcome = outcome;
        r.reason = reason;
        run.results.push_back(r);
    }
    return run;
}

// Cases whose outcome differs between targets, one column per target.
void print_side_by_side(const std::vector<Run>& runs) {
    if (runs.size() < 2) return;
    std::cout << "\n" << std::left;
    std::cout.width(22);
    std::cout << "case";
    for (auto& r : runs) {
        std::cout.width(18);
        std::cout << r.target.substr(0, 17);
    }
    std::cout << "\n";
    for (size_t i = 0; i < runs[0].results.size(); ++i) {
        bool same = true;
        for (auto& r : runs) same = same && r.results[i].outcome == runs[0].results[i].outcome;
        if (same) continue;
        std::cout.width(22);
        std::cout << runs[0].results[i].c->id;
        for (auto& r : runs) {
            std::cout.width(18);
            std::cout << r.results[i].outcome;
        }
        std::cout << "\n";
    }
    for (auto& r : runs) {
        std::string summary = count({r}).summary();
        std::cout << r.target << ": " << summary.replace(summary.find('\n'), 1, "; ") << "\n";
    }
    std::cout << "\n";
}

void print_result(const Result& r, bool verbose) {
    static const std::map<std::string, std::string> label = {
        {"pass", "PASS"}, {"fail", "FAIL"},       {"skip", "SKIP"},         {"error", "ERROR"},
        {"timeout", "TIMEOUT"}, {"crash", "CRASH"}, {"unsupported", "UNSUPPORTED"}, {"xfail", "XFAIL"},
        {"xpass", "XPASS"}};
    if (r.outcome == "pass" && !verbose) return;
    std::cout << label.at(r.outcome) << " " << r.c->id << " " << r.c->title << "  [" << r.target << "]\n";
    if (!r.reason.empty()) std::cout << "    " << r.reason << "\n";
    if (!verbose) return;
    for (auto& rec : r.obs.records)
        if (rec.kind == "ret" || rec.kind == "identity" || rec.kind == "died" || rec.kind == "broken")
            std::cout << "    observed: " << rec.line << "\n";
    for (auto& k : r.checks)
        std::cout << "    " << (k.ok ? "ok   " : "FAIL ") << k.step << ": " << k.what << ": expected " << k.expected
                  << ", observed " << k.observed << "\n";
}

// A private folder removed on every way out of its scope; empty when not needed.
struct TempDir {
    std::string path;
    explicit TempDir(bool wanted) {
        char name[] = "/tmp/semget-conformance.target.XXXXXX";
        if (wanted && mkdtemp(name)) path = name;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

struct ReportFiles {
    std::string json, junit, html, markdown, call_log;
    void add_options(CLI::App& app) {
        app.add_option("--json", json, "Write the results file here");
        app.add_option("--junit", junit, "Write JUnit XML here");
        app.add_option("--html", html, "Write the single-file HTML report here");
        app.add_option("--markdown", markdown, "Write a Markdown summary here");
        app.add_option("--call-log", call_log, "Write the semget calls as JSON Lines (Tracee's event shape) here");
    }
};

// Every report is a view of the results document; a file that cannot be written is a setup error.
bool write_reports(const nlohmann::json& doc, const ReportFiles& f) {
    namespace r = conformance::reports;
    const std::pair<const std::string*, std::function<std::string()>> views[] = {
        {&f.json, [&] { return doc.dump(2) + "\n"; }},
        {&f.junit, [&] { return r::junit(doc); }},
        {&f.html, [&] { return r::html(doc); }},
        {&f.markdown, [&] { return r::markdown(doc); }},
        {&f.call_log, [&] { return r::call_log(doc); }},
    };
    for (auto& [path, render] : views) {
        if (path->empty()) continue;
        std::ofstream out(*path);
        out << render();
        if (!out) {
            std::cerr << "semget-conformance: cannot write " << *path << "\n";
            return false;
        }
    }
    return true;
}

int report_command(const std::vector<std::string>& inputs, const ReportFiles& out) {
    namespace r = conformance::reports;
    try {
        std::vector<nlohmann::json> docs;
        for (auto& in : inputs) docs.push_back(r::load(in));
        nlohmann::json doc = docs.size() == 1 ? docs[0] : r::merge(docs, inputs);
        if (!write_reports(doc, out)) return 2;
        return 0;
    } catch (const r::ResultsError& e) {
        std::cerr << "semget-conformance report: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace

int main(int argc, char** argv) {
    interrupts::install();  // from start to cleanup: a signal ends the run early, never its cleanup
    CLI::App app{"Judges an implementation of semget(2) against the catalogue of its behaviours."};
    bool list = false, verbose = false;
    std::vector<std::string> filters;
    int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
    bool list_targets = false;
    std::vector<std::string> target_names;
    std::string fixtures = SEMGET_FIXTURES_DIR, worker, mode = "auto", profile = "linux", impl, wrap;
    std::string tables = fixtures + "/tables", targets_dir = fixtures + "/targets", expect_dir = fixtures + "/expectations";
    const std::string build_dir = std::filesystem::path(beside_me("x")).parent_path().string();
    long timeout_ms = 0, silence_ms = 0;  // 0: 30 s, or longer than the longest case
    std::string progress = isatty(2) ? "on" : "off";
    app.add_flag("--list", list, "List the cases (id and title) and exit");
    app.add_option("-f,--filter", filters, "Run only cases matching an id glob (E2.*), an area or an errno");
    app.add_option("-j,--jobs", jobs, "Cases run at once")->check(CLI::Range(1, 256));
    app.add_flag("-v,--verbose", verbose, "Show every call a case makes and every check");
    ReportFiles reports_out;
    reports_out.add_options(app);
    auto* report = app.add_subcommand("report", "Render reports from saved results files; several are merged");
    std::vector<std::string> report_inputs;
    ReportFiles report_out;
    report->add_option("results", report_inputs, "Results files")->required();
    report_out.add_options(*report);
    app.add_option("-t,--target", target_names, "Judge this target (repeat for several; default: native)");
    app.add_flag("--list-targets", list_targets, "List the targets and whether each can run here");
    app.add_option("--impl", impl, "Judge a shared object's semget/semctl (README: the --impl ABI)")
        ->check(CLI::ExistingFile);
    app.add_option("--wrap", wrap, "Judge the native worker run behind this command (valgrind, 'runsc do', ssh host)");
    app.add_option("--tables", tables, "Folder of spec tables")->check(CLI::ExistingDirectory);
    app.add_option("--targets-dir", targets_dir, "Folder of target descriptions")->check(CLI::ExistingDirectory);
    app.add_option("--expectations", expect_dir, "Folder of per-target known divergences");
    app.add_option("--worker", worker, "Worker executable (replaces the native target's)");
    app.add_option("--mode", mode, "Isolation: auto, ipc (IPC namespace), userns (user+IPC), none (host namespace)")
        ->check(CLI::IsMember({"auto", "ipc", "userns", "none"}));
    app.add_option("--timeout", timeout_ms, "Per-case timeout in ms (default: each table's own)")->check(CLI::Range(1L, 3600000L));
    app.add_option("--worker-timeout", silence_ms, "A worker that finishes no case for this long (ms) is hung; its cases time out (default: 30000, or the longest case's timeout + 5000)")
        ->check(CLI::Range(100L, 3600000L));
    app.add_option("--profile", profile, "linux: every row; posix: only rows POSIX requires")
        ->check(CLI::IsMember({"linux", "posix"}));
    app.add_option("--progress", progress, "Progress line on stderr (default: on for a terminal)")
        ->check(CLI::IsMember({"on", "off"}));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (*report) return report_command(report_inputs, report_out);

    std::vector<Case> all;
    std::vector<Target> targets;
    try {
        all = load_tables(tables);
        targets = load_targets(targets_dir);
    } catch (const TableError& e) {
        std::cerr << "semget-conformance: bad spec table: " << e.what() << "\n";
        return 2;
    }
    if (list_targets) {
        for (auto& t : targets) {
            auto why = unavailable(t, build_dir);
            std::cout << t.name << "  " << (why ? "unavailable: " + *why : "available") << "  (" << t.description << ")\n";
        }
        return 0;
    }
    std::vector<Target> chosen_targets;
    for (auto& name : target_names) {
        auto it = std::find_if(targets.begin(), targets.end(), [&](const Target& t) { return t.name == name; });
        if (it == targets.end()) {
            std::cerr << "semget-conformance: unknown target '" << name << "' (see --list-targets)\n";
            return 2;
        }
        chosen_targets.push_back(*it);
    }
    if (!impl.empty()) chosen_targets.push_back(impl_target(impl));
    if (!wrap.empty()) chosen_targets.push_back(wrap_target(wrap));
    if (chosen_targets.empty()) chosen_targets.push_back(targets.at(size_t(
        std::find_if(targets.begin(), targets.end(), [](const Target& t) { return t.name == "native"; }) - targets.begin())));
    if (!worker.empty()) {
        if (!std::filesystem::exists(worker)) {
            std::cerr << "semget-conformance: worker '" << worker << "' does not exist\n";
            return 2;
        }
        for (auto& t : chosen_targets) t.worker = std::filesystem::absolute(worker).string();
    }
    std::string unmatched;
    auto chosen = select(all, filters, &unmatched);
    if (!unmatched.empty()) {
        std::cerr << "semget-conformance: --filter '" << unmatched << "' matches no case (see --list)\n";
        return 2;
    }
    if (timeout_ms)
        for (auto& c : all) c.timeout_ms = timeout_ms;
    if (list) {
        for (auto* c : chosen) std::cout << c->id << "  " << c->title << "\n";
        return 0;
    }

    int failures = 0;  // for the progress line
    std::vector<Run> runs;
    size_t ran_targets = 0, started_targets = 0;
    for (auto& t : chosen_targets) {
        Expectations expected;
        try {
            expected = load_expectations(expect_dir, t.name);
        } catch (const TableError& e) {
            std::cerr << "semget-conformance: bad expectations: " << e.what() << "\n";
            return 2;
        }
        if (auto why = unavailable(t, build_dir)) {
            // A described target whose emulator is missing is skipped; one the user spelled out is an error.
            const bool ad_hoc = !t.impl.empty() || t.name.rfind("wrap:", 0) == 0;
            const std::string outcome = ad_hoc ? "error" : "skip";
            runs.push_back(whole_run(chosen, t, outcome, "target " + t.name + " cannot run here: " + *why));
            std::cout << (ad_hoc ? "ERROR" : "SKIP") << " target " << t.name << ": " << *why << "\n";
            continue;
        }
        const TempDir tmp(!t.boot.empty());  // a booted kernel's scratch folder (UML's uml_dir)
        RunOptions opt;
        opt.target = t.name;
        opt.session = session_options(t, build_dir, tmp.path);
        opt.session.jobs = jobs;
        opt.session.silence_ms = silence_ms;
        opt.session.hello_ms = std::max(silence_ms ? silence_ms : 30000L, t.boot_ms);  // a boot may take longer
        if (mode != "auto") opt.session.mode = mode;
        opt.profile = t.profile == "posix" ? "posix" : profile;
        opt.cannot_host = t.cannot_host;
        opt.on_result = [&](const Result& r, size_t done, size_t total) {
            failures += is_failing(r.outcome);  // before expectations apply: what the progress line can know
            if (progress == "on")
                std::cerr << "\r\033[K[" << t.name << " " << done << "/" << total << "] " << r.c->id
                          << "  failures: " << failures << std::flush;
        };
        try {
            runs.push_back(run_cases(chosen, opt));
            ++ran_targets;
            ++started_targets;
        } catch (const SessionError& e) {
            std::string msg = e.what();
            if (auto why = cannot_run(t, msg)) {
                runs.push_back(whole_run(chosen, t, "skip", "target " + t.name + " cannot run on this machine: " + *why));
                std::cout << "SKIP target " << t.name << ": " << *why << "\n";
            } else {
                runs.push_back(whole_run(chosen, t, "error", "target " + t.name + " did not start: " + msg));
                std::cout << "ERROR target " << t.name << ": " << msg << "\n";
                ++ran_targets;
            }
            runs.back().description = t.description;
            continue;
        }
        Run& run = runs.back();
        run.description = t.description;
        run.target_version = target_version(t, build_dir);
        run.expectations_file = expected.file;
        run.expectations_hash = expected.hash;
        apply(expected, run.facts, run.results);
        if (progress == "on") std::cerr << "\r\033[K";
        for (auto& r : run.results) print_result(r, verbose);
        if (run.interrupted || interrupts::received()) break;
    }
    if (progress == "on") std::cerr << "\r\033[K";
    if (!write_reports(results_document(runs), reports_out)) return 2;
    print_side_by_side(runs);
    Counts c = count(runs);
    std::cout << c.summary() << "\n";
    if (int sig = interrupts::received()) {  // also when it landed while a worker was still starting
        std::cerr << "semget-conformance: interrupted by signal " << sig << "\n";
        return 128 + sig;
    }
    if (ran_targets == 0 && !c.failed()) return 77;  // every target unavailable here: a skip for CTest
    if (ran_targets > 0 && started_targets == 0) return 2;  // no worker could start at all: a setup error
    return c.failed() ? 1 : 0;
}
