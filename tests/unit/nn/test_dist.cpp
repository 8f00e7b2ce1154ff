// Data-parallel pieces: where a process learns its rank (torchrun, srun,
// options), and, with two ranks as two threads of this process over Gloo on
// loopback, BatchNorm per step with global statistics and the gradients'
// averaging against one process computing the whole batch.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <torch/torch.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <thread>

#include "plifkit/core/error.hpp"
#include "plifkit/dist/gradient_averager.hpp"
#include "plifkit/dist/launch.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/sync_batch_norm.hpp"

namespace plifkit {
namespace {

using dist::LaunchOptions;
using dist::LaunchSpec;

dist::Environment environment(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Launch, SingleProcessWithoutLauncherOrOneSlurmTask) {
  EXPECT_FALSE(dist::launch_spec({}, environment({})));
  // A Slurm array's task: a step of one task. A batch script of an
  // allocation of 2 tasks, outside srun: no step, a single process too.
  EXPECT_FALSE(dist::launch_spec({}, environment({{"SLURM_PROCID", "0"}, {"SLURM_STEP_NUM_TASKS", "1"}})));
  EXPECT_FALSE(dist::launch_spec({}, environment({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}})));
}

TEST(Launch, TorchrunEnvironment) {
  const auto spec = dist::launch_spec({}, environment({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"},
                                                       {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29500"}}));
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->rank, 3);
  EXPECT_EQ(spec->world_size, 4);
  EXPECT_EQ(spec->local_rank, 1);
  EXPECT_EQ(spec->master_addr, "node7");
  EXPECT_EQ(spec->master_port, 29500);
  EXPECT_STREQ(spec->launcher, "torchrun");
  try {
    dist::launch_spec({}, environment({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "a"}}));
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("without MASTER_PORT"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dist::launch_spec({}, environment({{"RANK", "2"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "a"},
                                                  {"MASTER_PORT", "1"}})),
               UsageError);
}

TEST(Launch, SrunEnvironment) {
  const auto spec = dist::launch_spec(
      {}, environment({{"SLURM_PROCID", "5"}, {"SLURM_STEP_NUM_TASKS", "8"}, {"SLURM_LOCALID", "1"},
                       {"SLURM_STEP_NODELIST", "gpu[07-09,12],cpu1"}, {"SLURM_JOB_ID", "123456"}}));
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->rank, 5);
  EXPECT_EQ(spec->world_size, 8);
  EXPECT_EQ(spec->local_rank, 1);
  EXPECT_EQ(spec->master_addr, "gpu07");
  EXPECT_EQ(spec->master_port, 20000 + 123456 % 20000);
  EXPECT_EQ(dist::first_host("node5"), "node5");
  EXPECT_EQ(dist::first_host("a1,b2"), "a1");
  EXPECT_EQ(dist::first_host("rack2-n[003-004]-ib,x"), "rack2-n003-ib");
  EXPECT_THROW(dist::first_host("n[1-2"), UsageError);
}

TEST(Launch, ExplicitOptions) {
  LaunchOptions o;
  o.dist_url = "tcp://10.0.0.1:23456";
  o.rank = 1;
  o.world_size = 2;
  o.backend = dist::Backend::gloo;
  o.timeout_seconds = 30;
  const auto spec = dist::launch_spec(o, environment({{"RANK", "0"}}));  // options win
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->master_addr, "10.0.0.1");
  EXPECT_EQ(spec->master_port, 23456);
  EXPECT_EQ(spec->rank, 1);
  EXPECT_EQ(spec->timeout.count(), 30000);
  o.world_size.reset();
  EXPECT_THROW(dist::launch_spec(o, environment({})), UsageError);
  o.world_size = 2;
  o.dist_url = "10.0.0.1:23456";
  EXPECT_THROW(dist::launch_spec(o, environment({})), UsageError);
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Runs body(rank, group) on two threads, one rank each.
void two_ranks(const std::function<void(int, dist::ProcessGroup&)>& body) {
  const int port = free_port();
  std::vector<std::thread> threads;
  for (int rank = 0; rank < 2; ++rank)
    threads.emplace_back([&, rank] {
      LaunchSpec spec;
      spec.rank = rank;
      spec.world_size = 2;
      spec.master_addr = "127.0.0.1";
      spec.master_port = port;
      spec.timeout = std::chrono::milliseconds(30000);
      dist::ProcessGroup group(spec, torch::kCPU);
      body(rank, group);
    });
  for (auto& t : threads) t.join();
}

torch::nn::BatchNorm2d norm_of(int64_t C) {
  torch::nn::BatchNorm2d bn(torch::nn::BatchNorm2dOptions(C).eps(1e-5).momentum(0.1));
  torch::NoGradGuard no_grad;
  bn->weight.copy_(torch::linspace(0.5, 1.5, C));
  bn->bias.copy_(torch::linspace(-0.2, 0.3, C));
  return bn;
}

// A loss summed over the samples: each rank's part of it is the sum over its
// slice, and the synced backward gives every rank dL/dx of the whole sum.
TEST(SyncBatchNorm, TwoRanksComputeWhatOneProcessComputes) {
  const int64_t B = 4, T = 3, C = 2, H = 5, W = 5;
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({B * T, C, H, W}) * 2 + 0.5;
  const torch::Tensor probe = torch::randn({B * T, C, H, W});

  auto one = norm_of(C);
  const torch::Tensor x1 = x.clone().requires_grad_(true);
  const torch::Tensor y1 = nn::batch_norm_per_step(x1, B, T, *one);
  (y1 * probe).sum().backward();

  std::vector<torch::Tensor> y(2), dx(2), dweight(2), dbias(2), running_mean(2), running_var(2);
  two_ranks([&](int rank, dist::ProcessGroup& group) {
    auto bn = norm_of(C);
    const int64_t b = B / 2;
    const torch::Tensor mine = x.narrow(0, rank * b * T, b * T).clone().requires_grad_(true);
    const torch::Tensor out = nn::batch_norm_per_step_synced(mine, b, T, *bn, group);
    (out * probe.narrow(0, rank * b * T, b * T)).sum().backward();
    y[rank] = out.detach();
    dx[rank] = mine.grad();
    dweight[rank] = bn->weight.grad();
    dbias[rank] = bn->bias.grad();
    running_mean[rank] = bn->running_mean.clone();
    running_var[rank] = bn->running_var.clone();
  });
  EXPECT_TRUE(torch::allclose(torch::cat(y), y1.detach(), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(torch::cat(dx), x1.grad(), 1e-5, 1e-5));
  // Each rank's BatchNorm gradients are its slice's: summed, the whole's.
  EXPECT_TRUE(torch::allclose(dweight[0] + dweight[1], one->weight.grad(), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(dbias[0] + dbias[1], one->bias.grad(), 1e-5, 1e-5));
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(torch::allclose(running_mean[r], one->running_mean, 1e-6, 1e-6));
    EXPECT_TRUE(torch::allclose(running_var[r], one->running_var, 1e-6, 1e-6));
  }
}

TEST(GradientAverager, EveryRankGetsTheMeanOfTheRanksGradients) {
  std::vector<torch::Tensor> a(2), b(2);
  two_ranks([&](int rank, dist::ProcessGroup& group) {
    const torch::Tensor p = torch::zeros({3}, torch::requires_grad());
    const torch::Tensor q = torch::zeros({2, 2}, torch::requires_grad());
    // Tiny buckets: one parameter each, sent as they arrive.
    dist::GradientAverager averager(group, {p, q}, 8);
    EXPECT_EQ(averager.bucket_count(), 2);
    const double k = rank + 1.0;
    ((p * torch::tensor({1.0f, 2.0f, 3.0f}) * k).sum() + (q * k * 10).sum()).backward();
    averager.finish();
    a[rank] = p.grad().clone();
    b[rank] = q.grad().clone();
  });
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(torch::allclose(a[r], torch::tensor({1.5f, 3.0f, 4.5f})));
    EXPECT_TRUE(torch::allclose(b[r], torch::full({2, 2}, 15.0f)));
  }
}

}  // namespace
}  // namespace plifkit
