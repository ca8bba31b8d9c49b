// The Onshi .NET library (host-sdk/dotnet/Onshi) against the built libonshi, without a card or a
// gateway: exceptions carry the status with its ja/en messages, tokens and Dispose behave, a
// failing check faults its Task with the status, and events are raised on the SynchronizationContext
// that created the client. (A whole check end to end: samples.csharp_host against the sandbox.)
// Prints one line per case; exit status 0 when every case holds.
using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Onshi;

static class DotnetLibraryTest
{
    static int failures;

    static void Expect(bool ok, string what)
    {
        Console.WriteLine((ok ? "ok: " : "FAIL: ") + what);
        if (!ok) ++failures;
    }

    // A single-threaded SynchronizationContext, as a UI thread has.
    sealed class Loop : SynchronizationContext
    {
        public readonly BlockingCollection<Action> Queue = new BlockingCollection<Action>();
        public int ThreadId;
        public override void Post(SendOrPostCallback d, object state) { Queue.Add(() => d(state)); }
    }

    static void Main()
    {
        uint abi = OnshiClient.AbiVersion;
        Expect(abi >> 16 == OnshiClient.AbiMajor, "ABI major " + (abi >> 16) + ", version " + OnshiClient.Version);

        // An invalid configuration: OnshiException with ONSHI_E_CONFIG, both messages and the key.
        try
        {
            new OnshiClient("{\"no_such_key\": 1}").Dispose();
            Expect(false, "an unknown config key is refused");
        }
        catch (OnshiException e)
        {
            Expect(e.Status == OnshiStatus.Config && e.StatusName == "ONSHI_E_CONFIG", "config error status: " + e.StatusName);
            Expect(e.MessageJa.Length > 0 && e.MessageEn.Length > 0 && e.MessageJa != e.MessageEn,
                   "ja and en messages: " + e.MessageJa + " / " + e.MessageEn);
            Expect(e.Detail.Contains("no_such_key"), "the detail names the key: " + e.Detail);
            Expect(e.Message.Contains("ONSHI_E_CONFIG"), "Message: " + e.Message);
        }

        // Events on the creating thread's SynchronizationContext: a check without a registered
        // terminal (the default config has none) or without that reader fails; its task faults with
        // that status, the await resumes on the loop's thread, and any event raised meanwhile runs there.
        var loop = new Loop();
        int eventsOffLoop = 0, events = 0;
        Exception checkError = null;
        var worker = new Thread(() =>
        {
            loop.ThreadId = Thread.CurrentThread.ManagedThreadId;
            SynchronizationContext.SetSynchronizationContext(loop);
            OnshiClient client = new OnshiClient("{}");
            EventHandler<OnshiEventArgs> count = (s, e) =>
            {
                ++events;
                if (Thread.CurrentThread.ManagedThreadId != loop.ThreadId) ++eventsOffLoop;
            };
            client.ProgressChanged += count;
            client.ReaderChanged += count;
            client.SecretNeeded += count;
            Func<Task> run = async () =>
            {
                try
                {
                    using (await client.CheckEligibilityAsync(OnshiClient.CheckRequest("pin", "no such reader"), "1234"))
                        checkError = null;
                }
                catch (Exception e)
                {
                    checkError = e;
                }
                Expect(Thread.CurrentThread.ManagedThreadId == loop.ThreadId, "the await resumed on the UI thread");
                client.Dispose();
                client.Dispose(); // twice is fine
                try
                {
                    await client.CheckEligibilityAsync(OnshiClient.CheckRequest("pin"));
                    Expect(false, "a disposed client refuses checks");
                }
                catch (ObjectDisposedException)
                {
                    Expect(true, "a disposed client refuses checks");
                }
                loop.Queue.CompleteAdding();
            };
            loop.Post(_ => run(), null);
            foreach (Action a in loop.Queue.GetConsumingEnumerable()) a();
        });
        worker.Start();
        Expect(worker.Join(60000), "the UI loop ended");
        var failed = checkError as OnshiException;
        Expect(failed != null && (failed.Status == OnshiStatus.NotEnrolled || failed.Status == OnshiStatus.NoReader ||
                                  failed.Status == OnshiStatus.PcscUnavailable) && failed.MessageJa.Length > 0,
               "a check on a missing reader faults with its status: " + (failed != null ? failed.StatusName + " — " + failed.MessageJa : "" + checkError));
        Expect(eventsOffLoop == 0, events + " events, none off the UI thread");

        // A token cancelled before the check: nothing starts, the task is cancelled.
        using (var client = new OnshiClient("{}"))
        {
            var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            try
            {
                client.CheckEligibilityAsync(OnshiClient.CheckRequest("pin"), null, cancelled.Token).GetAwaiter().GetResult();
                Expect(false, "a cancelled token cancels the check");
            }
            catch (OperationCanceledException)
            {
                Expect(true, "a cancelled token cancels the check");
            }
            // A malformed request fails at once, as an OnshiException with the status.
            try
            {
                client.CheckEligibilityAsync("{not json").GetAwaiter().GetResult();
                Expect(false, "a malformed request is refused");
            }
            catch (OnshiException e)
            {
                Expect(e.Status == OnshiStatus.InvalidArgument, "a malformed request is refused: " + e.StatusName + " (" + e.Detail + ")");
            }
        }
        Console.WriteLine(failures == 0 ? "all .NET library cases passed" : failures + " case(s) failed");
        Environment.Exit(failures == 0 ? 0 : 1);
    }
}
