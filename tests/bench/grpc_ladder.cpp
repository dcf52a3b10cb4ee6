// The gRPC ladder: which of gRPC's C++ APIs and threading shapes costs least
// per unary call, across two processes on loopback, measured as CPU per call
// on each side (getrusage in the client, /proc for the server). The call is
// the PSP's Charge (a request of ~60 bytes, an answer of ~50), answered at
// once, so the figures are gRPC's own cost and the threads' hand-offs.
//
//   grpc_ladder <server> <client> <calls in flight> <seconds> [deadline] [metadata]
//     server: callback (the callback API, gRPC's own threads)
//             cq1      (one completion queue served by one thread)
//             cqN      (one completion queue per core, a thread each)
//     client: callback (the callback API: completions on gRPC's threads)
//             cq       (one completion queue, one poller thread)
//             cq-loop  (as cq, but each completion is handed to an event
//                       loop thread, as an HTTP server's loop would take it)
//             callback-loop (the callback API, completions handed to the loop)
//   Prints: calls/s, client µs/call, server µs/call.
// The server runs as a child process of the same binary (--serve).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "grpcpp/grpcpp.h"
#include "platform/psp/v1/psp.grpc.pb.h"

namespace {

using platform::psp::v1::ChargeRequest;
using platform::psp::v1::ChargeResponse;
using platform::psp::v1::PspService;

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void Answer(ChargeResponse& response) {
  response.set_outcome(platform::psp::v1::APPROVED);
  response.set_psp_reference("psp_0123456789abcdef0123456789abcdef");
}

// ---- servers -------------------------------------------------------------

class CallbackPsp final : public PspService::CallbackService {
  grpc::ServerUnaryReactor* Charge(grpc::CallbackServerContext* context, const ChargeRequest*,
                                   ChargeResponse* response) override {
    Answer(*response);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// One Charge being served through a completion queue: requested, then
// answered, then done (the classic pattern of gRPC's async examples).
class CqCall {
 public:
  CqCall(PspService::AsyncService* service, grpc::ServerCompletionQueue* queue)
      : service_(service), queue_(queue), writer_(&context_) {
    service_->RequestCharge(&context_, &request_, &writer_, queue_, queue_, this);
  }
  void Proceed(bool ok) {
    if (answered_ || !ok) {
      delete this;
      return;
    }
    new CqCall(service_, queue_);  // the next call waits while this one answers
    Answer(response_);
    answered_ = true;
    writer_.Finish(response_, grpc::Status::OK, this);
  }

 private:
  PspService::AsyncService* service_;
  grpc::ServerCompletionQueue* queue_;
  grpc::ServerContext context_;
  ChargeRequest request_;
  ChargeResponse response_;
  grpc::ServerAsyncResponseWriter<ChargeResponse> writer_;
  bool answered_ = false;
};

[[noreturn]] void Serve(const std::string& mode, const std::string& port_file) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  CallbackPsp callback;
  PspService::AsyncService async;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  if (mode == "callback") {
    builder.RegisterService(&callback);
  } else {
    builder.RegisterService(&async);
    const int count = mode == "cqN" ? Cores() : 1;
    for (int i = 0; i < count; ++i) queues.push_back(builder.AddCompletionQueue());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::ofstream(port_file) << port << "\n";
  std::vector<std::thread> threads;
  for (auto& queue : queues) {
    threads.emplace_back([&service = async, queue = queue.get()] {
      for (int i = 0; i < 64; ++i) new CqCall(&service, queue);
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) static_cast<CqCall*>(tag)->Proceed(ok);
    });
  }
  server->Wait();  // until killed
  std::exit(0);
}

// ---- clients -------------------------------------------------------------

struct Load {
  std::unique_ptr<PspService::Stub> stub;
  bool deadline = false;
  bool metadata = false;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0};
  std::atomic<int> in_flight{0};
};

struct ClientCall {
  grpc::ClientContext context;
  ChargeRequest request;
  ChargeResponse response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<ChargeResponse>> reader;
};

std::unique_ptr<ClientCall> NewCall(const Load& load) {
  auto call = std::make_unique<ClientCall>();
  if (load.deadline) {
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  if (load.metadata) {
    call->context.AddMetadata("x-request-id", "0123456789abcdef0123456789abcdef");
    call->context.AddMetadata("traceparent",
                              "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
  }
  call->request.set_idempotency_key("tx_01hzy3k4m5n6p7q8r9s0t1v2w3");
  call->request.set_amount(100);
  call->request.set_currency("USD");
  call->request.set_user_id(1);
  return call;
}

// Keeps calls in flight, a new one as each ends, until told to stop. A
// completion is handled where it arrives, or on `loop` (when given), as an
// HTTP thread would take it.
class Client {
 public:
  Client(Load& load, boost::asio::io_context* loop) : load_(load), loop_(loop) {}
  virtual ~Client() = default;

  virtual void Start(int count) {
    for (int i = 0; i < count; ++i) StartOne();
  }
  virtual void Stop() {
    while (load_.in_flight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

 protected:
  virtual void StartOne() = 0;

  ClientCall* NewInFlight() {
    load_.in_flight.fetch_add(1);
    return NewCall(load_).release();
  }
  void Completed(ClientCall* call) {
    if (loop_ == nullptr) return Done(call);
    boost::asio::post(*loop_, [this, call] { Done(call); });
  }

  Load& load_;

 private:
  void Done(ClientCall* call) {
    delete call;
    load_.done.fetch_add(1, std::memory_order_relaxed);
    if (!load_.stop.load()) StartOne();
    load_.in_flight.fetch_sub(1);
  }

  boost::asio::io_context* loop_;
};

// Calls on a completion queue with one poller thread.
class CqClient final : public Client {
 public:
  using Client::Client;

  void Start(int count) override {
    Client::Start(count);
    poller_ = std::thread([this] {
      void* tag = nullptr;
      bool ok = false;
      while (queue_.Next(&tag, &ok)) Completed(static_cast<ClientCall*>(tag));
    });
  }
  void Stop() override {
    Client::Stop();
    queue_.Shutdown();
    poller_.join();
  }

 private:
  void StartOne() override {
    ClientCall* call = NewInFlight();
    call->reader = load_.stub->AsyncCharge(&call->context, call->request, &queue_);
    call->reader->Finish(&call->response, &call->status, call);
  }

  grpc::CompletionQueue queue_;
  std::thread poller_;
};

// Calls with the callback API: completions on gRPC's own threads.
class CallbackClient final : public Client {
 public:
  using Client::Client;

 private:
  void StartOne() override {
    ClientCall* call = NewInFlight();
    load_.stub->async()->Charge(&call->context, &call->request, &call->response,
                                [this, call](const grpc::Status&) { Completed(call); });
  }
};

double CpuSecondsOfSelf() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double CpuSecondsOf(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t after_name = text.rfind(')');
  std::vector<std::string> fields;
  size_t at = after_name + 2;
  while (at < text.size()) {
    const size_t space = text.find(' ', at);
    fields.push_back(text.substr(at, space - at));
    if (space == std::string::npos) break;
    at = space + 1;
  }
  // utime and stime are the 14th and 15th fields; 3rd and 4th past the name.
  return static_cast<double>(std::stoll(fields[11]) + std::stoll(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--serve") Serve(argv[2], argv[3]);
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: grpc_ladder <callback|cq1|cqN> <callback|cq|cq-loop|callback-loop> "
                 "<calls in flight> <seconds> [deadline] [metadata]\n");
    return 2;
  }
  const std::string server_mode = argv[1], client_mode = argv[2];
  const int in_flight = std::atoi(argv[3]);
  const int seconds = std::atoi(argv[4]);
  Load load;
  for (int i = 5; i < argc; ++i) {
    load.deadline |= std::string(argv[i]) == "deadline";
    load.metadata |= std::string(argv[i]) == "metadata";
  }

  char port_file[] = "/tmp/grpc_ladder_port_XXXXXX";
  close(mkstemp(port_file));
  const pid_t server = fork();
  if (server == 0) {
    execl("/proc/self/exe", argv[0], "--serve", server_mode.c_str(), port_file, nullptr);
    _exit(127);
  }
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    std::ifstream(port_file) >> port;
  }
  unlink(port_file);
  if (port == 0) {
    std::fprintf(stderr, "the server did not start\n");
    kill(server, SIGKILL);
    return 1;
  }

  load.stub = PspService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  boost::asio::io_context loop(1);
  auto guard = boost::asio::make_work_guard(loop);
  std::thread loop_thread;
  const bool on_loop = client_mode == "cq-loop" || client_mode == "callback-loop";
  if (on_loop) loop_thread = std::thread([&loop] { loop.run(); });
  boost::asio::io_context* handler = on_loop ? &loop : nullptr;
  CqClient cq(load, handler);
  CallbackClient callback(load, handler);
  const bool use_cq = client_mode == "cq" || client_mode == "cq-loop";

  // Warm up (connection, first allocations), then measure.
  const auto run = [&](int for_seconds, double* client_cpu, double* server_cpu, int64_t* calls) {
    load.stop = false;
    load.done = 0;
    const double client_before = CpuSecondsOfSelf(), server_before = CpuSecondsOf(server);
    if (on_loop) {
      boost::asio::post(loop, [&] { use_cq ? cq.Start(in_flight) : callback.Start(in_flight); });
    } else {
      use_cq ? cq.Start(in_flight) : callback.Start(in_flight);
    }
    std::this_thread::sleep_for(std::chrono::seconds(for_seconds));
    load.stop = true;
    use_cq ? cq.Stop() : callback.Stop();
    *calls = load.done.load();
    *client_cpu = CpuSecondsOfSelf() - client_before;
    *server_cpu = CpuSecondsOf(server) - server_before;
  };
  double client_cpu = 0, server_cpu = 0;
  int64_t calls = 0;
  if (use_cq) {
    // A completion queue is shut down once: warm up with the callback API.
    CallbackClient warm(load, nullptr);
    load.stop = false;
    warm.Start(in_flight);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    load.stop = true;
    warm.Stop();
  } else {
    run(1, &client_cpu, &server_cpu, &calls);
  }
  run(seconds, &client_cpu, &server_cpu, &calls);
  const auto done = static_cast<double>(calls);
  std::printf("%.0f %.1f %.1f\n", done / seconds, client_cpu * 1e6 / done, server_cpu * 1e6 / done);
  guard.reset();
  if (on_loop) loop_thread.join();
  kill(server, SIGKILL);
  waitpid(server, nullptr, 0);
  return 0;
}
