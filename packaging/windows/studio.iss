; Inno Setup 6 script: installs the one-folder bundle (dist\studio) for the current user,
; with Start-menu and desktop shortcuts named in Vietnamese.
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\studio.iss
; -> dist\installer\StudioTruyenThanh-0.1.0-setup.exe
; Inno Setup ships no Vietnamese messages file, so the pages a user reads are translated in
; [Messages] below; the rest (rare error pages) stay in English.
; The user's data (library, media, settings, logs) lives in %LOCALAPPDATA%\StudioTruyenThanh
; and is kept on uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Studio Truyền Thanh"
#define Root ".."

[Setup]
AppId={{6F0B7C1E-2C4D-4E8B-9A51-7D3C2B1A9E10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\Studio Truyen Thanh
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; no administrator needed: an office PC user installs it for themselves
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\..\dist\installer
OutputBaseFilename=StudioTruyenThanh-{#AppVersion}-setup
SetupIconFile={#Root}\..\resources\icons\app\studio.ico
UninstallDisplayIcon={app}\studio.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "vi"; MessagesFile: "compiler:Default.isl"

[Messages]
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt %1
WelcomeLabel1=Chào mừng đến với trình cài đặt [name]
WelcomeLabel2=Chương trình sẽ cài [name/ver] vào máy tính này.%n%nNên đóng các ứng dụng khác trước khi tiếp tục.
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonCancel=Huỷ
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonYes=&Có
ButtonNo=&Không
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Việc cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nThoát cài đặt?
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=Chương trình sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
WizardSelectTasks=Chọn thêm việc
SelectTasksDesc=Cần làm thêm việc gì?
SelectTasksLabel2=Chọn những việc cần làm thêm khi cài [name], rồi bấm Tiếp.
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Đã sẵn sàng cài [name] vào máy tính này.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc Quay lại để xem lại lựa chọn.
WizardInstalling=Đang cài đặt
InstallingLabel=Vui lòng chờ trong khi [name] được cài vào máy tính này.
FinishedHeadingLabel=Đã cài xong [name]
FinishedLabelNoIcons=Đã cài xong [name] vào máy tính này.
FinishedLabel=Đã cài xong [name] vào máy tính này. Mở chương trình bằng biểu tượng đã tạo.
ClickFinish=Bấm Xong để đóng trình cài đặt.
RunEntryExec=Mở %1
UninstallAppFullTitle=Gỡ bỏ %1
ConfirmUninstall=Gỡ bỏ hoàn toàn %1? Thư viện, bản thu và cài đặt của bạn vẫn được giữ lại.
UninstalledAll=Đã gỡ bỏ %1 khỏi máy tính này.

[CustomMessages]
DesktopIcon=Tạo biểu tượng trên màn hình nền
Shortcuts=Biểu tượng:

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[Files]
Source: "{#Root}\..\dist\studio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Studio Truyền Thanh"; Filename: "{app}\studio.exe"; Comment: "Thu âm, dựng và phát bản tin truyền thanh"
Name: "{group}\Kiểm tra cài đặt (tự kiểm tra)"; Filename: "{cmd}"; Parameters: "/k ""{app}\studio.exe"" --self-test"; IconFilename: "{app}\studio.exe"
Name: "{group}\Gỡ bỏ Studio Truyền Thanh"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Studio Truyền Thanh"; Filename: "{app}\studio.exe"; Tasks: desktopicon; Comment: "Thu âm, dựng và phát bản tin truyền thanh"

[Run]
Filename: "{app}\studio.exe"; Description: "Mở Studio Truyền Thanh"; Flags: nowait postinstall skipifsilent
