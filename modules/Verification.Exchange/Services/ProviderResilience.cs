using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>
/// Per provider: a request timeout, a circuit breaker (a provider failing half its calls is left
/// alone for a while) and a couple of quick retries with jitter. Retries beyond these are durable:
/// the outbox message waits for its next attempt (exponential backoff with jitter) in the database.
/// </summary>
public sealed class ProviderResilience
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<TransportAnswer>> _pipelines = new();

    public ResiliencePipeline<TransportAnswer> For(ExchangeProviderRecord provider) =>
        _pipelines.GetOrAdd(provider.Code + "|" + provider.RequestTimeoutSeconds, _ => new ResiliencePipelineBuilder<TransportAnswer>()
            .AddRetry(new RetryStrategyOptions<TransportAnswer>
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<TransportAnswer>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 8,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(10),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddTimeout(TimeSpan.FromSeconds(provider.RequestTimeoutSeconds))
            .Build());

    private static bool IsTransient(Outcome<TransportAnswer> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException || outcome.Result?.TransientError is not null;
}
