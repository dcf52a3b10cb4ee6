#include "actors/shared/metrics/registry.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "actors/shared/runtime/version.h"
#include "prometheus/gauge.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace platform::metrics {
namespace {

// What /proc/self/stat says, in the units Prometheus names.
struct ProcessSample {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double threads = 0;
  double start_time_seconds = 0;
};

double BootTimeSeconds() {
  std::ifstream stat("/proc/stat");
  std::string line;
  while (std::getline(stat, line)) {
    double seconds = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtod(line.substr(6), &seconds)) return seconds;
  }
  return 0;
}

ProcessSample ReadProcessSample() {
  ProcessSample sample;
  std::ifstream file("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // The command name, field 2, may hold spaces: fields are counted after it.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return sample;
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(text).substr(close + 2), ' ', absl::SkipEmpty());
  // Field numbers of proc(5), minus 3 (the fields before and including the name).
  auto field = [&](size_t number) {
    double value = 0;
    if (number - 3 < fields.size()) (void)absl::SimpleAtod(fields[number - 3], &value);
    return value;
  };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  sample.cpu_seconds = (field(14) + field(15)) / ticks;  // utime + stime
  sample.threads = field(20);
  sample.start_time_seconds = BootTimeSeconds() + field(22) / ticks;
  sample.virtual_bytes = field(23);
  sample.resident_bytes = field(24) * page;
  return sample;
}

double OpenFileDescriptors() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the one opendir itself holds
}

prometheus::MetricFamily Family(const std::string& name, const std::string& help,
                                prometheus::MetricType type, double value) {
  prometheus::MetricFamily family{name, help, type, {}};
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

// The process_* families of Prometheus' client libraries, read at each scrape.
std::vector<prometheus::MetricFamily> ProcessFamilies() {
  using prometheus::MetricType;
  const ProcessSample sample = ReadProcessSample();
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  return {
      Family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
             MetricType::Counter, sample.cpu_seconds),
      Family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
             sample.resident_bytes),
      Family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
             sample.virtual_bytes),
      Family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
             OpenFileDescriptors()),
      Family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
             static_cast<double>(files.rlim_cur)),
      Family("process_threads", "Number of OS threads in the process.", MetricType::Gauge,
             sample.threads),
      Family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
             MetricType::Gauge, sample.start_time_seconds),
  };
}

absl::Mutex g_collectors_mutex;
std::vector<Collector>& Collectors() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_collectors_mutex) {
  static auto* collectors = new std::vector<Collector>();  // kept until exit
  return *collectors;
}

}  // namespace

prometheus::Registry& DefaultRegistry() {
  static auto* registry = new prometheus::Registry();  // never destroyed: scraped until exit
  return *registry;
}

void RegisterProcessMetrics(absl::string_view program) {
  prometheus::BuildGauge()
      .Name("platform_build_info")
      .Help("Which program and version this is; always 1.")
      .Register(DefaultRegistry())
      .Add({{"program", std::string(program)}, {"version", std::string(PlatformVersion())}})
      .Set(1);
  AddCollector(ProcessFamilies);
}

void AddCollector(Collector collector) {
  absl::MutexLock lock(&g_collectors_mutex);
  Collectors().push_back(std::move(collector));
}

prometheus::MetricFamily CounterFamily(const std::string& name, const std::string& help,
                                       double value) {
  return Family(name, help, prometheus::MetricType::Counter, value);
}

prometheus::MetricFamily GaugeFamily(const std::string& name, const std::string& help,
                                     double value) {
  return Family(name, help, prometheus::MetricType::Gauge, value);
}

std::string RenderText() {
  std::vector<prometheus::MetricFamily> families = DefaultRegistry().Collect();
  absl::MutexLock lock(&g_collectors_mutex);
  for (const Collector& collector : Collectors()) {
    for (prometheus::MetricFamily& family : collector()) families.push_back(std::move(family));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                              0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                              1,      2.5,     5,      10};
  return buckets;
}

}  // namespace platform::metrics
