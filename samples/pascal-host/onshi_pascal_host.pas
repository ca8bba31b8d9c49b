{ onshi-pascal-host — a host written in Free Pascal / Delphi that loads onshi at run time through
  host-sdk/pascal/onshi.pas, the way a receipt program (レセコン) written in Delphi does it:

    1. load the library and check its ABI major before calling anything else (OnshiLoad);
    2. open a context from a configuration file (docs/config.md);
    3. register this terminal once (端末登録) with the facility's setup credentials;
    4. run a PIN check in the CALLBACK style (events arrive on an onshi thread);
    5. run a visual check (目視確認) in the POLL style (a GUI host polls from a TTimer);
    6. print the verdict and a few official 資格確認結果 fields with onshi_result_field.

    onshi-pascal-host --library PATH --config FILE [--setup FILE] [--reader NAME]
                      [--visual-reader NAME] [--allow-last-attempt]

  The PIN is the first line of stdin: it stands for the PIN pad of a real reception screen.
  Exit status: 0 when both checks produced a result, 1 when one failed, 2 on a usage/setup error.

  Build: fpc -Fu<repo>/host-sdk/pascal onshi_pascal_host.pas (Delphi: add onshi.pas to the project). }
program onshi_pascal_host;

{$IFDEF FPC}{$MODE DELPHI}{$CODEPAGE UTF8}{$ENDIF}
{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}

uses
{$IFDEF UNIX}
  cthreads, { first: onshi's threads call back into Pascal code }
  cwstring, { UTF-16 <-> UTF-8 for the Japanese literals }
{$ENDIF}
  SysUtils, Classes, onshi;

type
  { What the callback needs; it must stay valid until the callback is cleared or onshi_close returns. }
  TPinDialog = record
    Ctx: Ponshi_context;
    Pin: UTF8String;          { what the patient typed on the PIN pad }
    AllowLastAttempt: Boolean; { the patient was told "this is the last try" and agreed }
  end;
  PPinDialog = ^TPinDialog;

function ReadFile(const Path: string): UTF8String;
var
  Stream: TFileStream;
begin
  Stream := TFileStream.Create(Path, fmOpenRead or fmShareDenyWrite);
  try
    SetLength(Result, Stream.Size);
    if Stream.Size > 0 then
      Stream.ReadBuffer(Result[1], Stream.Size);
  finally
    Stream.Free;
  end;
end;

(* {"reader":"NAME","method":"METHOD"}; an empty NAME lets onshi pick the reader with a card. *)
function MakeRequest(const Reader, Method: UTF8String): UTF8String;
var
  Name: UTF8String;
  I: Integer;
begin
  Name := '';
  for I := 1 to Length(Reader) do
  begin
    if (Reader[I] = '"') or (Reader[I] = '\') then
      Name := Name + '\';
    Name := Name + Reader[I];
  end;
  if Name <> '' then
    Result := '{"reader":"' + Name + '","method":"' + Method + '"}'
  else
    Result := '{"method":"' + Method + '"}';
end;

function ProgressText(Value: Int32): UTF8String;
begin
  case Value of
    ONSHI_PROGRESS_WAITING_FOR_CARD: Result := 'カードを置いてください (waiting for the card)';
    ONSHI_PROGRESS_READING_CARD: Result := 'カード読み取り中 (reading the card)';
    ONSHI_PROGRESS_VERIFYING_PIN: Result := '暗証番号確認中 (verifying the PIN)';
    ONSHI_PROGRESS_SIGNING: Result := '署名中 (signing)';
    ONSHI_PROGRESS_READING_PHOTO: Result := '顔写真読み取り中 (reading the face photo)';
    ONSHI_PROGRESS_CONTACTING_GATEWAY: Result := '照会中 (asking the gateway)';
  else
    Result := '…'; { a newer library may add steps: ignore what we do not know }
  end;
end;

function StatusName(Status: Tonshi_status): UTF8String;
begin
  Result := OnshiText(onshi_status_name(Status));
end;

{ Prints the verdict and a few official fields of a job's result; True for a DONE job. }
function PrintResult(Ctx: Ponshi_context; Job: Tonshi_job_id; FinalStatus: Tonshi_status): Boolean;
const
  Fields: array[0..5] of UTF8String = ('Name', 'InsurerNumber', 'InsuredCardSymbol',
    'InsuredIdentificationNumber', 'QualificationValidity', 'InsuredPartialContributionRatio');
var
  Res: Ponshi_result;
  Value: PAnsiChar;
  I: Integer;
begin
  Result := False;
  if onshi_job_result(Ctx, Job, Res) <> ONSHI_OK then
  begin
    WriteLn(ErrOutput, 'no result: ', OnshiText(onshi_last_error(Ctx)));
    Exit;
  end;
  if FinalStatus <> ONSHI_OK then
  begin
    { A failed job's result holds the error: status, message (context locale), tries_left. }
    Value := nil;
    onshi_result_field(Res, 'message', 0, Value);
    WriteLn('  failed: ', StatusName(FinalStatus), ' — ', OnshiText(Value));
  end
  else
  begin
    Value := nil;
    onshi_result_field(Res, 'verdict', 0, Value); { eligible / not_eligible / needs_attention }
    WriteLn('  verdict: ', OnshiText(Value));
    for I := Low(Fields) to High(Fields) do
      if onshi_result_field(Res, PAnsiChar(Fields[I]), 0, Value) = ONSHI_OK then { NOT_FOUND: absent }
        { Fixed-width official values ("  138057") are shown without the padding. }
        WriteLn('  ', Fields[I], ': ', TrimLeft(OnshiText(Value)));
  end;
  Flush(Output); { the callback thread writes through its own buffer }
  onshi_result_free(Res);
  onshi_job_release(Ctx, Job); { every job is released once its result is taken }
  Result := FinalStatus = ONSHI_OK;
end;

{ ---- Callback style: the PIN check ---------------------------------------------------------- }

{ Runs on an onshi thread, one event at a time; returns quickly and never blocks. A GUI host hands
  the event to its UI thread here (TThread.Queue, PostMessage) after copying ev.text. }
procedure OnEvent(UserData: Pointer; Ev: Ponshi_event); {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
var
  Dialog: PPinDialog;
  Flags: UInt32;
  St: Tonshi_status;
begin
  Dialog := PPinDialog(UserData);
  try
    case Ev^.&type of
      ONSHI_EVENT_PROGRESS:
        WriteLn('  [callback] ', ProgressText(Ev^.value));
      ONSHI_EVENT_SECRET_NEEDED:
        begin
          { With 1 try left, spend it only with the patient's explicit OK: otherwise onshi ends the
            job with ONSHI_E_LAST_TRY_REFUSED. }
          Flags := 0;
          if Dialog^.AllowLastAttempt then
            Flags := ONSHI_SECRET_ALLOW_LAST_ATTEMPT;
          WriteLn('  [callback] 暗証番号を入力してください (PIN needed, ', Ev^.value, ' tries left)');
          St := onshi_provide_pin(Dialog^.Ctx, Ev^.job, PAnsiChar(Dialog^.Pin), Flags);
          FillChar(PAnsiChar(Dialog^.Pin)^, Length(Dialog^.Pin), 0); { one PIN, one try }
          if St <> ONSHI_OK then
            WriteLn('  [callback] PIN refused: ', StatusName(St));
        end;
      ONSHI_EVENT_FAILED:
        { Never retry a PIN on the patient's behalf: a new job after asking them again. }
        WriteLn('  [callback] failed: ', StatusName(Ev^.status), ' (tries left ', Ev^.value, ')');
      ONSHI_EVENT_CARD_REMOVED:
        WriteLn('  [callback] card removed from ', OnshiText(Ev^.text));
    end; { DONE, reader events, and types a newer library may add: nothing to do }
    Flush(Output);
  except
    { Nothing may escape into onshi's thread. }
  end;
end;

function PinCheck(Ctx: Ponshi_context; const Reader: UTF8String; var Dialog: TPinDialog): Boolean;
var
  Request: UTF8String;
  Job: Tonshi_job_id;
  FinalStatus: Tonshi_status;
  Stale: Tonshi_event;
begin
  Result := False;
  Request := MakeRequest(Reader, 'pin');
  { Events queued so far (the enrollment's, reader changes) would go to the callback as soon as it
    is set: drop them first, this host has no use for them. }
  repeat
    FillChar(Stale, SizeOf(Stale), 0);
    Stale.struct_size := SizeOf(Stale);
  until onshi_poll_event(Ctx, 0, Stale) <> ONSHI_OK;
  Dialog.Ctx := Ctx;
  onshi_set_event_callback(Ctx, OnEvent, @Dialog);
  { No PIN up front (nil): onshi asks with ONSHI_EVENT_SECRET_NEEDED once the card is read. }
  if onshi_check_eligibility(Ctx, PAnsiChar(Request), nil, Job) <> ONSHI_OK then
  begin
    WriteLn(ErrOutput, 'check not started: ', OnshiText(onshi_last_error(Ctx)));
    Exit;
  end;
  { A console host can simply wait; a GUI host returns to its message loop instead. }
  FinalStatus := ONSHI_E_INTERNAL;
  if onshi_job_wait(Ctx, Job, 120000, @FinalStatus) <> ONSHI_OK then
    Exit;
  onshi_set_event_callback(Ctx, nil, nil); { from now on events queue up for poll }
  Result := PrintResult(Ctx, Job, FinalStatus);
end;

{ ---- Poll style: the visual check ------------------------------------------------------------ }

function VisualCheck(Ctx: Ponshi_context; const Reader: UTF8String): Boolean;
var
  Request: UTF8String;
  Job: Tonshi_job_id;
  Ev: Tonshi_event;
  I: Integer;
begin
  Result := False;
  Request := MakeRequest(Reader, 'visual'); { staff compared face and card }
  if onshi_check_eligibility(Ctx, PAnsiChar(Request), nil, Job) <> ONSHI_OK then
  begin
    WriteLn(ErrOutput, 'check not started: ', OnshiText(onshi_last_error(Ctx)));
    Exit;
  end;
  { A GUI host calls onshi_poll_event(Ctx, 0, Ev) from a TTimer; here we wait 0.5 s a time. }
  for I := 1 to 240 do
  begin
    FillChar(Ev, SizeOf(Ev), 0);
    Ev.struct_size := SizeOf(Ev); { onshi fills only what this host knows }
    if (onshi_poll_event(Ctx, 500, Ev) <> ONSHI_OK) or (Ev.job <> Job) then
      Continue; { ONSHI_E_TIMEOUT (nothing happened) or a reader / card event }
    if Ev.&type = ONSHI_EVENT_PROGRESS then
      WriteLn('  [poll] ', ProgressText(Ev.value));
    if (Ev.&type = ONSHI_EVENT_DONE) or (Ev.&type = ONSHI_EVENT_FAILED) or (Ev.&type = ONSHI_EVENT_CANCELLED) then
      Exit(PrintResult(Ctx, Job, Ev.status));
  end;
  WriteLn(ErrOutput, 'the visual check did not end in time');
end;

{ ---- main ------------------------------------------------------------------------------------ }

function Enroll(Ctx: Ponshi_context; const SetupFile: string): Boolean;
var
  Setup: UTF8String;
  Job: Tonshi_job_id;
  St: Tonshi_status;
begin
  Result := False;
  Setup := ReadFile(SetupFile);
  St := onshi_terminal_enroll(Ctx, PAnsiChar(Setup), Job);
  if Length(Setup) > 0 then
    FillChar(Setup[1], Length(Setup), 0); { it holds the setup password }
  if (St <> ONSHI_OK) or (onshi_job_wait(Ctx, Job, 60000, @St) <> ONSHI_OK) then
  begin
    WriteLn(ErrOutput, 'enrollment not started: ', OnshiText(onshi_last_error(Ctx)));
    Exit;
  end;
  onshi_job_release(Ctx, Job);
  if St = ONSHI_E_ALREADY_ENROLLED then
  begin
    WriteLn('端末登録: 登録済み (already enrolled)');
    Exit(True);
  end;
  if St = ONSHI_OK then
    WriteLn('端末登録: 完了 (enrolled)')
  else
    WriteLn('端末登録: ', StatusName(St));
  Result := St = ONSHI_OK;
end;

{ Lets the reader monitor (started by onshi_open) see the readers: up to 3 s until one has a card. }
procedure WaitForReaders(Ctx: Ponshi_context);
var
  I: Integer;
  Json: PAnsiChar;
  Ev: Tonshi_event;
  Ready: Boolean;
begin
  for I := 1 to 30 do
  begin
    Ready := False;
    if onshi_list_readers(Ctx, Json) = ONSHI_OK then
    begin
      Ready := Pos('"card_present":true', OnshiText(Json)) > 0;
      if Ready then
        WriteLn('readers: ', OnshiText(Json));
      onshi_free(Json); { onshi's memory goes back to onshi }
    end;
    if Ready then
      Exit;
    FillChar(Ev, SizeOf(Ev), 0);
    Ev.struct_size := SizeOf(Ev);
    onshi_poll_event(Ctx, 100, Ev);
  end;
end;

var
  LibraryPath, ConfigFile, SetupFile: string;
  Reader, VisualReader, Config: UTF8String;
  Dialog: TPinDialog;
  Ctx: Ponshi_context;
  I: Integer;
  Ok: Boolean;
  Line: string;
begin
{$IF DEFINED(FPC) AND DEFINED(UNIX)}
  { Text on a Unix terminal is UTF-8 whatever the locale says; so are this file's literals. }
  DefaultSystemCodePage := CP_UTF8;
  SetTextCodePage(Output, CP_UTF8);
  SetTextCodePage(ErrOutput, CP_UTF8);
{$IFEND}
  LibraryPath := ''; ConfigFile := ''; SetupFile := ''; Reader := ''; VisualReader := '';
  Dialog.Ctx := nil; Dialog.Pin := ''; Dialog.AllowLastAttempt := False;
  I := 1;
  while I <= ParamCount do
  begin
    if ParamStr(I) = '--allow-last-attempt' then
      Dialog.AllowLastAttempt := True
    else if I < ParamCount then
    begin
      if ParamStr(I) = '--library' then LibraryPath := ParamStr(I + 1)
      else if ParamStr(I) = '--config' then ConfigFile := ParamStr(I + 1)
      else if ParamStr(I) = '--setup' then SetupFile := ParamStr(I + 1)
      else if ParamStr(I) = '--reader' then Reader := UTF8String(ParamStr(I + 1))
      else if ParamStr(I) = '--visual-reader' then VisualReader := UTF8String(ParamStr(I + 1))
      else Break;
      Inc(I);
    end
    else
      Break;
    Inc(I);
  end;
  if (I <= ParamCount) or (LibraryPath = '') or (ConfigFile = '') then
  begin
    WriteLn(ErrOutput, 'usage: onshi-pascal-host --library PATH --config FILE [--setup FILE] [--reader NAME]');
    WriteLn(ErrOutput, '                         [--visual-reader NAME] [--allow-last-attempt]   (PIN on stdin)');
    Halt(2);
  end;
  { The PIN pad: the first line of stdin. }
  Line := '';
  if not EOF(Input) then
    ReadLn(Line);
  Dialog.Pin := UTF8String(Trim(Line));

  if not OnshiLoad(LibraryPath) then
  begin
    WriteLn(ErrOutput, OnshiLoadError);
    Halt(2);
  end;
  WriteLn('onshi ', OnshiText(onshi_version()), ' (ABI ', onshi_abi_version() shr 16, '.',
          onshi_abi_version() and $FFFF, ')');

  Config := ReadFile(ConfigFile);
  if onshi_open(PAnsiChar(Config), Ctx) <> ONSHI_OK then
  begin
    WriteLn(ErrOutput, 'onshi_open: ', OnshiText(onshi_last_error(nil))); { names the bad key }
    Halt(2);
  end;
  Ok := True;
  if SetupFile <> '' then
    Ok := Enroll(Ctx, SetupFile);
  WaitForReaders(Ctx);
  if Ok then
  begin
    WriteLn('PIN check (callback style):');
    Flush(Output); { the callback thread writes through its own buffer }
    Ok := PinCheck(Ctx, Reader, Dialog);
    WriteLn('visual check (poll style):');
    Ok := VisualCheck(Ctx, VisualReader) and Ok;
  end;
  onshi_close(Ctx); { cancels what still runs; no callback after it returns }
  if Ok then
    Halt(0)
  else
    Halt(1);
end.
