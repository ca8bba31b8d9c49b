// onshi-csharp-host — a .NET host on the Onshi library (host-sdk/dotnet/Onshi: Onshi.Net.dll, or the
// Onshi .nupkg). It runs like a WinForms / WPF program: its "UI thread" is a single thread with a
// SynchronizationContext (UiThread below), and onshi's events arrive there, never on onshi's own
// threads; the checks are awaited.
//
// The same flow as samples/c-host:
//   1. open a client from a configuration file (docs/config.md); the library checks the ABI major;
//   2. register this terminal once (端末登録) with the facility's setup credentials;
//   3. a PIN check: the SecretNeeded event answers with the PIN (the PIN pad);
//   4. a visual check (目視確認), awaited, its progress shown;
//   5. a PIN check cancelled through a CancellationToken while onshi waits for the PIN (the
//      patient walked away): the task ends cancelled, no PIN try is spent;
//   6. print the verdict and a few official 資格確認結果 fields.
//
//   mono onshi-csharp-host.exe --config FILE [--setup FILE] [--reader NAME]
//                              [--visual-reader NAME] [--allow-last-attempt]
//
// The PIN is the first line of stdin: it stands for the PIN pad of a real reception screen.
// Finding the library: on Windows, put onshi.dll (of the program's bitness) and Onshi.Net.dll next to
// the .exe. Under mono on Linux, Onshi.Net.dll.config maps "onshi" to libonshi.so.1, found through
// LD_LIBRARY_PATH or the system's library path.
// Exit status: 0 when every check ended as expected, 1 when one did not, 2 on a usage/setup error.
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Onshi;

// A UI thread in miniature: one thread running posted callbacks in order, as a WinForms message
// loop does (WindowsFormsSynchronizationContext). Run() returns when the task it started ends.
sealed class UiThread : SynchronizationContext
{
    readonly BlockingCollection<Action> queue = new BlockingCollection<Action>();
    public int ThreadId { get; private set; }

    public override void Post(SendOrPostCallback d, object state) { queue.Add(() => d(state)); }
    public override void Send(SendOrPostCallback d, object state) { throw new NotSupportedException(); }

    public T Run<T>(Func<Task<T>> main)
    {
        ThreadId = Thread.CurrentThread.ManagedThreadId;
        SetSynchronizationContext(this);
        Task<T> task = main();
        task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
        foreach (Action action in queue.GetConsumingEnumerable()) action();
        return task.GetAwaiter().GetResult();
    }
}

class Program
{
    static readonly string[] Fields = { "Name", "InsurerNumber", "InsuredCardSymbol",
        "InsuredIdentificationNumber", "QualificationValidity", "InsuredPartialContributionRatio" };

    readonly UiThread ui;
    OnshiClient onshi;
    string pin;               // what the patient typed on the PIN pad
    bool allowLastAttempt;    // the patient was told "this is the last try" and agreed
    string prefix = "[event]";
    CancellationTokenSource walkAway; // set for the check the patient walks away from
    int offUiThread;          // events that arrived on another thread than the UI thread (must stay 0)

    Program(UiThread ui) { this.ui = ui; }

    static string ProgressText(int value)
    {
        switch ((OnshiProgress)value)
        {
            case OnshiProgress.WaitingForCard: return "カードを置いてください (waiting for the card)";
            case OnshiProgress.ReadingCard: return "カード読み取り中 (reading the card)";
            case OnshiProgress.VerifyingPin: return "暗証番号確認中 (verifying the PIN)";
            case OnshiProgress.Signing: return "署名中 (signing)";
            case OnshiProgress.ReadingPhoto: return "顔写真読み取り中 (reading the face photo)";
            case OnshiProgress.ContactingGateway: return "照会中 (asking the gateway)";
            default: return "…"; // a newer library may add steps
        }
    }

    void OnUiThread()
    {
        if (Thread.CurrentThread.ManagedThreadId != ui.ThreadId) ++offUiThread;
    }

    void OnProgress(object sender, OnshiEventArgs e)
    {
        OnUiThread();
        Console.WriteLine("  " + prefix + " " + ProgressText(e.Value));
    }

    void OnSecretNeeded(object sender, OnshiEventArgs e)
    {
        OnUiThread();
        // The PIN pad shows the tries left. With 1 try left, spend it only with the patient's
        // explicit OK, else onshi ends the job with ONSHI_E_LAST_TRY_REFUSED.
        Console.WriteLine("  " + prefix + " 暗証番号を入力してください (PIN needed, " + e.Value + " tries left)");
        if (walkAway != null)
        {
            walkAway.Cancel(); // the patient left before typing: cancel the check
            return;
        }
        string secret = pin;
        pin = ""; // one PIN, one try: never re-send it
        try
        {
            onshi.ProvideSecret(e.Job, secret, allowLastAttempt);
        }
        catch (OnshiException x)
        {
            Console.WriteLine("  " + prefix + " PIN refused: " + x.StatusName);
        }
    }

    static void PrintResult(EligibilityResult result)
    {
        Console.WriteLine("  verdict: " + result.Verdict); // eligible / not_eligible / needs_attention
        foreach (string name in Fields)
        {
            string value = result.Field(name);
            // Fixed-width values ("  138057"): shown without the padding.
            if (value != null) Console.WriteLine("  " + name + ": " + value.TrimStart(' '));
        }
    }

    async Task<bool> Enroll(string setupFile)
    {
        try
        {
            await onshi.EnrollTerminalAsync(File.ReadAllText(setupFile));
            Console.WriteLine("端末登録: 完了 (enrolled)");
        }
        catch (OnshiException e) when (e.Status == OnshiStatus.AlreadyEnrolled)
        {
            Console.WriteLine("端末登録: 登録済み (already enrolled)");
        }
        return true;
    }

    // Up to 3 s until the reader monitor (started when the client opened) lists a card.
    async Task WaitForReaders()
    {
        for (int i = 0; i < 30; ++i)
        {
            string readers = onshi.ListReaders();
            if (readers.Contains("\"card_present\":true"))
            {
                Console.WriteLine("readers: " + readers);
                return;
            }
            await Task.Delay(100);
        }
    }

    async Task<bool> Check(string what, string request)
    {
        Console.WriteLine(what);
        try
        {
            using (EligibilityResult result = await onshi.CheckEligibilityAsync(request))
                PrintResult(result);
            return true;
        }
        catch (OnshiException e)
        {
            // Never retry a PIN on the patient's behalf: ask them, then start a new check.
            Console.WriteLine("  failed: " + e.StatusName + " — " + e.MessageJa + " / " + e.MessageEn +
                              (e.Detail.Length > 0 ? " (" + e.Detail + ")" : ""));
            return false;
        }
    }

    async Task<bool> WalkAwayCheck(string reader)
    {
        Console.WriteLine("資格確認 (PIN; the patient walks away: CancellationToken)");
        walkAway = new CancellationTokenSource();
        try
        {
            using (await onshi.CheckEligibilityAsync(OnshiClient.CheckRequest("pin", reader), null, walkAway.Token))
                Console.WriteLine("  FAIL: the check was not cancelled");
            return false;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("  cancelled: no PIN try spent (中止しました)");
            return true;
        }
        finally
        {
            walkAway = null;
        }
    }

    async Task<int> Main(string config, string setup, string reader, string visualReader)
    {
        try
        {
            onshi = new OnshiClient(File.ReadAllText(config));
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine("cannot load onshi: " + e.Message);
            return 2;
        }
        catch (OnshiException e)
        {
            Console.Error.WriteLine("cannot open onshi: " + e.StatusName + " — " + e.MessageJa + " (" + e.Detail + ")");
            return 2;
        }
        uint abi = OnshiClient.AbiVersion;
        Console.WriteLine("onshi " + OnshiClient.Version + " (ABI " + (abi >> 16) + "." + (abi & 0xFFFF) + ")");
        using (onshi)
        {
            onshi.ProgressChanged += OnProgress;
            onshi.SecretNeeded += OnSecretNeeded;
            if (setup != null && !await Enroll(setup)) return 2;
            await WaitForReaders();
            bool ok = await Check("資格確認 (PIN, events on the UI thread)", OnshiClient.CheckRequest("pin", reader));
            prefix = "[async]";
            ok = await Check("資格確認 (目視確認 visual, awaited)", OnshiClient.CheckRequest("visual", visualReader)) && ok;
            ok = await WalkAwayCheck(reader) && ok;
            if (offUiThread != 0)
            {
                Console.WriteLine("FAIL: " + offUiThread + " events arrived off the UI thread");
                ok = false;
            }
            return ok ? 0 : 1;
        }
    }

    static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        string config = null, setup = null, reader = null, visualReader = null;
        var ui = new UiThread();
        var p = new Program(ui);
        for (int i = 0; i < args.Length; ++i)
        {
            string value = i + 1 < args.Length ? args[i + 1] : null;
            if (args[i] == "--allow-last-attempt") { p.allowLastAttempt = true; continue; }
            if (value == null) { config = null; break; }
            if (args[i] == "--config") config = value;
            else if (args[i] == "--setup") setup = value;
            else if (args[i] == "--reader") reader = value;
            else if (args[i] == "--visual-reader") visualReader = value;
            else { config = null; break; }
            ++i;
        }
        if (config == null)
        {
            Console.Error.WriteLine("usage: onshi-csharp-host.exe --config FILE [--setup FILE] [--reader NAME]" +
                                    " [--visual-reader NAME] [--allow-last-attempt]   (PIN on stdin)");
            return 2;
        }
        p.pin = (Console.In.ReadLine() ?? "").Trim(); // the PIN pad
        return ui.Run(() => p.Main(config, setup, reader, visualReader));
    }
}
