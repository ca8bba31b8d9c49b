{ onshi — the binding for Delphi and Free Pascal hosts (レセコン written in Delphi / Lazarus).

  Every function, constant and the onshi_event record of onshi.h (ABI 1.1; docs/abi.md is the
  reference), loaded at run time: call OnshiLoad first, which loads the library, refuses one of
  another ABI major and resolves every function.

    if not OnshiLoad('onshi.dll') then ShowMessage(OnshiLoadError);
    onshi_open(PAnsiChar(UTF8String(ConfigJson)), Ctx);

  Calling convention: stdcall on Windows (onshi.dll x86 is __stdcall; on x64 Windows there is only
  one convention), cdecl elsewhere (libonshi.so.1). Strings cross as NUL-terminated UTF-8:
  PAnsiChar(UTF8String(S)) in, OnshiText(P) out. Memory onshi returns through a PPAnsiChar / PPByte
  goes back with onshi_free, never FreeMem.

  Callbacks run on an onshi thread: in the callback copy what you need (the event's text is valid
  only during the call) and hand it to the UI thread (TThread.Queue, PostMessage), or poll with
  onshi_poll_event from a TTimer instead. On Free Pascal under Unix, put cthreads first in the
  program's uses clause, since onshi's threads call into Pascal code.

  abi/onshi_abi.list is the one list of the ABI; the test abi.list checks this unit against it. }
unit onshi;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$PACKRECORDS C}
{$ELSE}
  {$ALIGN 8}
  {$MINENUMSIZE 4}
{$ENDIF}

interface

const
  ONSHI_ABI_VERSION_MAJOR = 1;            { since 1.0 }
  ONSHI_ABI_VERSION_MINOR = 1;            { since 1.0 }
  { ONSHI_ABI_VERSION is (ONSHI_ABI_VERSION_MAJOR shl 16) or ONSHI_ABI_VERSION_MINOR: Pascal names
    are case-insensitive, so the function onshi_abi_version takes the name. }
  ONSHI_OK = 0;                           { since 1.0 }
  ONSHI_E_INVALID_ARGUMENT = 1;           { since 1.0 }
  ONSHI_E_INVALID_HANDLE = 2;             { since 1.0 }
  ONSHI_E_NO_MEMORY = 3;                  { since 1.0 }
  ONSHI_E_NOT_SUPPORTED = 4;              { since 1.0 }
  ONSHI_E_INTERNAL = 5;                   { since 1.0 }
  ONSHI_E_CLOSING = 6;                    { since 1.0 }
  ONSHI_E_TIMEOUT = 7;                    { since 1.0 }
  ONSHI_E_CANCELLED = 8;                  { since 1.0 }
  ONSHI_E_CONFIG = 9;                     { since 1.0 }
  ONSHI_E_NOT_FOUND = 10;                 { since 1.0 }
  ONSHI_E_BUSY = 11;                      { since 1.0 }
  ONSHI_E_WRONG_STATE = 12;               { since 1.0 }
  ONSHI_E_PCSC_UNAVAILABLE = 100;         { since 1.0 }
  ONSHI_E_NO_READER = 101;                { since 1.0 }
  ONSHI_E_NO_CARD = 102;                  { since 1.0 }
  ONSHI_E_CARD_REMOVED = 103;             { since 1.0 }
  ONSHI_E_NOT_MYNUMBER_CARD = 104;        { since 1.0 }
  ONSHI_E_JUKI_CARD = 105;                { since 1.0 }
  ONSHI_E_PIN_INCORRECT = 106;            { since 1.0 }
  ONSHI_E_PIN_BLOCKED = 107;              { since 1.0 }
  ONSHI_E_LAST_TRY_REFUSED = 108;         { since 1.0 }
  ONSHI_E_PIN_FORMAT = 109;               { since 1.0 }
  ONSHI_E_COLLATION_B_INCORRECT = 110;    { since 1.0 }
  ONSHI_E_COLLATION_B_BLOCKED = 111;      { since 1.0 }
  ONSHI_E_COLLATION_B_FORMAT = 112;       { since 1.0 }
  ONSHI_E_CARD_ERROR = 113;               { since 1.0 }
  ONSHI_E_CARD_IN_USE = 114;              { since 1.0 }
  ONSHI_E_VISUAL_NOT_AVAILABLE = 115;     { since 1.1 }
  ONSHI_E_MEDIUM_NOT_SUPPORTED = 116;     { since 1.1 }
  ONSHI_E_NETWORK = 200;                  { since 1.0 }
  ONSHI_E_GATEWAY_TIMEOUT = 201;          { since 1.0 }
  ONSHI_E_TLS = 202;                      { since 1.0 }
  ONSHI_E_GATEWAY_ERROR = 203;            { since 1.0 }
  ONSHI_E_GATEWAY_PROTOCOL = 204;         { since 1.0 }
  ONSHI_E_NOT_ENROLLED = 205;             { since 1.0 }
  ONSHI_E_CERT_REVOKED = 206;             { since 1.0 }
  ONSHI_E_CERT_EXPIRED = 207;             { since 1.0 }
  ONSHI_E_REJECTED = 208;                 { since 1.0 }
  ONSHI_E_TERMINAL_LIMIT = 209;           { since 1.0 }
  ONSHI_E_SETUP_CREDENTIALS = 210;        { since 1.0 }
  ONSHI_E_ALREADY_ENROLLED = 211;         { since 1.0 }
  ONSHI_E_ELIGIBILITY_ERROR = 212;        { since 1.1 }
  ONSHI_E_TERMINAL_FOLDERS = 213;         { since 1.1 }
  ONSHI_E_TERMINAL_NO_ANSWER = 214;       { since 1.1 }
  ONSHI_E_TERMINAL_ANSWER = 215;          { since 1.1 }
  ONSHI_E_VALIDATION = 300;               { since 1.0 }
  ONSHI_E_CREDENTIAL_STORE = 301;         { since 1.0 }
  ONSHI_E_PARSE = 302;                    { since 1.0 }
  ONSHI_E_FACE_EXPORT = 303;              { since 1.1 }
  ONSHI_JOB_QUEUED = 1;                   { since 1.0 }
  ONSHI_JOB_RUNNING = 2;                  { since 1.0 }
  ONSHI_JOB_WAITING_FOR_PIN = 3;          { since 1.0 }
  ONSHI_JOB_DONE = 4;                     { since 1.0 }
  ONSHI_JOB_FAILED = 5;                   { since 1.0 }
  ONSHI_JOB_CANCELLED = 6;                { since 1.0 }
  ONSHI_JOB_WAITING_FOR_SECRET = 3;       { since 1.1 }
  ONSHI_EVENT_NONE = 0;                   { since 1.0 }
  ONSHI_EVENT_PROGRESS = 1;               { since 1.0 }
  ONSHI_EVENT_PIN_NEEDED = 2;             { since 1.0 }
  ONSHI_EVENT_DONE = 3;                   { since 1.0 }
  ONSHI_EVENT_FAILED = 4;                 { since 1.0 }
  ONSHI_EVENT_CANCELLED = 5;              { since 1.0 }
  ONSHI_EVENT_READER_ADDED = 16;          { since 1.0 }
  ONSHI_EVENT_READER_REMOVED = 17;        { since 1.0 }
  ONSHI_EVENT_CARD_INSERTED = 18;         { since 1.0 }
  ONSHI_EVENT_CARD_REMOVED = 19;          { since 1.0 }
  ONSHI_EVENT_RESULT_ARRIVED = 20;        { since 1.1 }
  ONSHI_EVENT_FACE_EXPORTED = 21;         { since 1.1 }
  ONSHI_EVENT_SECRET_NEEDED = 2;          { since 1.1 }
  ONSHI_PROGRESS_WAITING_FOR_CARD = 1;    { since 1.0 }
  ONSHI_PROGRESS_READING_CARD = 2;        { since 1.0 }
  ONSHI_PROGRESS_VERIFYING_PIN = 3;       { since 1.0 }
  ONSHI_PROGRESS_SIGNING = 4;             { since 1.0 }
  ONSHI_PROGRESS_READING_PHOTO = 5;       { since 1.0 }
  ONSHI_PROGRESS_CONTACTING_GATEWAY = 6;  { since 1.0 }
  ONSHI_MEDIUM_UNKNOWN = 0;               { since 1.1 }
  ONSHI_MEDIUM_CARD = 1;                  { since 1.1 }
  ONSHI_MEDIUM_ANDROID = 2;               { since 1.1 }
  ONSHI_MEDIUM_IPHONE = 3;                { since 1.1 }
  ONSHI_MEDIUM_JUKI = 4;                  { since 1.1 }
  ONSHI_MEDIUM_OTHER = 5;                 { since 1.1 }
  ONSHI_SECRET_PIN = 1;                   { since 1.0 }
  ONSHI_SECRET_COLLATION_B = 2;           { since 1.0 }
  ONSHI_PIN_ALLOW_LAST_ATTEMPT = 1;       { since 1.0 }
  ONSHI_SECRET_ALLOW_LAST_ATTEMPT = 1;    { since 1.1 }

{$IFDEF MSWINDOWS}
  ONSHI_LIBRARY = 'onshi.dll';
{$ELSE}
  ONSHI_LIBRARY = 'libonshi.so.1';
{$ENDIF}

type
  Tonshi_status = Int32;                { since 1.0 }
  Tonshi_job_id = UInt32;               { since 1.0: jobs count from 1; 0 is never a job }
  Ponshi_status = ^Tonshi_status;
  Ponshi_job_id = ^Tonshi_job_id;
  Ponshi_int32 = ^Int32;
  Ponshi_size = ^NativeUInt;            { size_t * }
  Ponshi_context = Pointer;             { since 1.0: opaque onshi_context * }
  Ponshi_result = Pointer;              { since 1.0: opaque onshi_result * }
  PPonshi_context = ^Ponshi_context;
  PPonshi_result = ^Ponshi_result;
  PPonshi_char = ^PAnsiChar;            { char ** / const char **: UTF-8 text onshi hands out }
  PPonshi_byte = ^PByte;                { uint8_t ** / const uint8_t ** }

  { since 1.0; fields are only ever appended: set struct_size := SizeOf(Tonshi_event) before
    onshi_poll_event, and onshi fills only what fits. }
  Ponshi_event = ^Tonshi_event;
  Tonshi_event = record
    struct_size: UInt32;
    &type: Int32;                       { ONSHI_EVENT_* }
    job: Tonshi_job_id;                 { 0 for reader and card events }
    status: Tonshi_status;
    value: Int32;
    detail: Int32;
    text: PAnsiChar;                    { UTF-8, valid only during the callback / until the next poll }
  end;

  { since 1.0: called on an onshi thread, one event at a time. }
  Tonshi_event_callback = procedure(user_data: Pointer; event: Ponshi_event); {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};

var
  onshi_abi_version: function: UInt32; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_version: function: PAnsiChar; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_status_name: function(status: Tonshi_status): PAnsiChar; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_status_message: function(status: Tonshi_status; locale: PAnsiChar): PAnsiChar; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_free: procedure(memory: Pointer); {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_open: function(config_json: PAnsiChar; out out_context: Ponshi_context): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_close: function(context: Ponshi_context): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_last_error: function(context: Ponshi_context): PAnsiChar; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_set_event_callback: function(context: Ponshi_context; callback: Tonshi_event_callback; user_data: Pointer): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_poll_event: function(context: Ponshi_context; timeout_ms: UInt32; var out_event: Tonshi_event): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_set_event_window: function(context: Ponshi_context; hwnd: Pointer; message: UInt32): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_list_readers: function(context: Ponshi_context; out out_json: PAnsiChar): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_reader_diagnose: function(context: Ponshi_context; request_json: PAnsiChar; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_check_eligibility: function(context: Ponshi_context; request_json: PAnsiChar; secret: PAnsiChar; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_provide_pin: function(context: Ponshi_context; job: Tonshi_job_id; secret: PAnsiChar; flags: UInt32): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_check_by_insurance: function(context: Ponshi_context; request_json: PAnsiChar; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_job_cancel: function(context: Ponshi_context; job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_job_wait: function(context: Ponshi_context; job: Tonshi_job_id; timeout_ms: UInt32; out_final_status: Ponshi_status): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_job_state: function(context: Ponshi_context; job: Tonshi_job_id; out_state: Ponshi_int32; out_final_status: Ponshi_status): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_job_result: function(context: Ponshi_context; job: Tonshi_job_id; out out_result: Ponshi_result): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_job_release: function(context: Ponshi_context; job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_json: function(result: Ponshi_result; out out_json: PAnsiChar): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_field: function(result: Ponshi_result; element_name: PAnsiChar; index: UInt32; out out_value: PAnsiChar): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_photo_png: function(result: Ponshi_result; out out_png: PByte; out out_size: NativeUInt): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_from_xml: function(context: Ponshi_context; xml: Pointer; size: NativeUInt; out out_result: Ponshi_result): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_from_app_text: function(context: Ponshi_context; text: PAnsiChar; size: NativeUInt; out out_result: Ponshi_result): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_result_free: procedure(result: Ponshi_result); {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_application_validate: function(context: Ponshi_context; form_json: PAnsiChar; out out_report_json: PAnsiChar): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_application_render_pdf: function(context: Ponshi_context; form_json: PAnsiChar; options_json: PAnsiChar; out out_pdf: PByte; out out_size: NativeUInt): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_validate_numbers: function(context: Ponshi_context; numbers_json: PAnsiChar; out out_report_json: PAnsiChar): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_terminal_enroll: function(context: Ponshi_context; setup_json: PAnsiChar; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_terminal_status: function(context: Ponshi_context; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_terminal_set_end_date: function(context: Ponshi_context; date: PAnsiChar; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_terminal_unenroll: function(context: Ponshi_context; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};
  onshi_terminal_renew: function(context: Ponshi_context; out out_job: Tonshi_job_id): Tonshi_status; {$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF};

{ Loads the library (a path, or ONSHI_LIBRARY to search the usual places), checks that its ABI major
  is ONSHI_ABI_VERSION_MAJOR and resolves every function. False with OnshiLoadError set otherwise.
  The library stays loaded until the process ends (onshi's threads run its code). }
function OnshiLoad(const Path: string = ONSHI_LIBRARY): Boolean;
function OnshiLoadError: string;
{ A UTF-8 C string from onshi (NULL gives ''). Copy it before the memory behind it goes away. }
function OnshiText(P: PAnsiChar): UTF8String;

implementation

uses
{$IFDEF FPC}
  dynlibs;
{$ELSE}
  {$IFDEF MSWINDOWS} Windows, {$ENDIF} SysUtils;
{$ENDIF}

var
  LoadError: string = '';
  Handle: {$IFDEF FPC}TLibHandle{$ELSE}HMODULE{$ENDIF} = 0;
  Missing: string = '';

function Sym(const Name: AnsiString): Pointer;
begin
{$IFDEF FPC}
  Result := GetProcedureAddress(Handle, Name);
{$ELSE}
  Result := GetProcAddress(Handle, {$IFDEF MSWINDOWS}PAnsiChar(Name){$ELSE}PChar(string(Name)){$ENDIF});
{$ENDIF}
  if Result = nil then
    Missing := Missing + ' ' + string(Name);
end;

function OnshiLoad(const Path: string): Boolean;
begin
  Result := False;
  if Handle = 0 then
    Handle := LoadLibrary(PChar(Path));
  if Handle = 0 then
  begin
    LoadError := 'cannot load ' + Path;
    Exit;
  end;
  { The ABI first: a library of another major must not be used at all (docs/abi.md §1). }
  @onshi_abi_version := Sym('onshi_abi_version');
  if (@onshi_abi_version = nil) or (onshi_abi_version() shr 16 <> ONSHI_ABI_VERSION_MAJOR) then
  begin
    LoadError := Path + ' is not an onshi library of ABI major 1';
    Exit;
  end;
  Missing := '';
  @onshi_version := Sym('onshi_version');
  @onshi_status_name := Sym('onshi_status_name');
  @onshi_status_message := Sym('onshi_status_message');
  @onshi_free := Sym('onshi_free');
  @onshi_open := Sym('onshi_open');
  @onshi_close := Sym('onshi_close');
  @onshi_last_error := Sym('onshi_last_error');
  @onshi_set_event_callback := Sym('onshi_set_event_callback');
  @onshi_poll_event := Sym('onshi_poll_event');
  @onshi_set_event_window := Sym('onshi_set_event_window');
  @onshi_list_readers := Sym('onshi_list_readers');
  @onshi_reader_diagnose := Sym('onshi_reader_diagnose');
  @onshi_check_eligibility := Sym('onshi_check_eligibility');
  @onshi_provide_pin := Sym('onshi_provide_pin');
  @onshi_check_by_insurance := Sym('onshi_check_by_insurance');
  @onshi_job_cancel := Sym('onshi_job_cancel');
  @onshi_job_wait := Sym('onshi_job_wait');
  @onshi_job_state := Sym('onshi_job_state');
  @onshi_job_result := Sym('onshi_job_result');
  @onshi_job_release := Sym('onshi_job_release');
  @onshi_result_json := Sym('onshi_result_json');
  @onshi_result_field := Sym('onshi_result_field');
  @onshi_result_photo_png := Sym('onshi_result_photo_png');
  @onshi_result_from_xml := Sym('onshi_result_from_xml');
  @onshi_result_from_app_text := Sym('onshi_result_from_app_text');
  @onshi_result_free := Sym('onshi_result_free');
  @onshi_application_validate := Sym('onshi_application_validate');
  @onshi_application_render_pdf := Sym('onshi_application_render_pdf');
  @onshi_validate_numbers := Sym('onshi_validate_numbers');
  @onshi_terminal_enroll := Sym('onshi_terminal_enroll');
  @onshi_terminal_status := Sym('onshi_terminal_status');
  @onshi_terminal_set_end_date := Sym('onshi_terminal_set_end_date');
  @onshi_terminal_unenroll := Sym('onshi_terminal_unenroll');
  @onshi_terminal_renew := Sym('onshi_terminal_renew');
  { Every function above is since 1.0. A function of a later minor is resolved only when
    onshi_abi_version() and $FFFF reaches that minor, and is nil (not available) otherwise. }
  if Missing <> '' then
  begin
    LoadError := Path + ' lacks' + Missing;
    Exit;
  end;
  Result := True;
end;

function OnshiLoadError: string;
begin
  Result := LoadError;
end;

function OnshiText(P: PAnsiChar): UTF8String;
var
  N: Integer;
begin
  { The bytes as they are: UTF8String(P) would first read them in the ANSI code page. }
  N := 0;
  if P <> nil then
    while P[N] <> #0 do
      Inc(N);
  SetString(Result, P, N);
end;

initialization
  { onshi calls back from its own threads: the memory manager must lock. }
  IsMultiThread := True;
end.
