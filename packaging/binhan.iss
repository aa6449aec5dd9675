; Inno Setup script: a per-user installer for the bundle in dist\binhan (build_installer.spec).
; Build: ISCC.exe /DAppVersion=0.1.0 packaging\binhan.iss   (the workflow passes app.__version__)
; NOT built or run on the machine this was written on: see the README, "Bộ cài / Installer".
;
; Per user (no administrator rights needed on a commune PC): installs into
; %LOCALAPPDATA%\Programs\BinhAn. The node's data lives apart in %LOCALAPPDATA%\binhan
; (app.paths.default_data_dir) and the uninstaller never touches it: the program is removed,
; the cases, backups and keys stay.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F1B2C3D-8E4A-4B7C-9D21-B1A2E5C0A7F1}
AppName=Bình An
AppVersion={#AppVersion}
AppPublisher=Bình An
DefaultDirName={localappdata}\Programs\BinhAn
DefaultGroupName=Bình An
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
OutputDir=..\dist\installer
OutputBaseFilename=BinhAn-{#AppVersion}-setup
SetupIconFile=..\resources\icons\binhan.ico
UninstallDisplayIcon={app}\binhan.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
; Inno Setup 6 ships no Vietnamese messages file (Vietnamese.isl is an unofficial translation):
; the installer's own pages are in English until one is added to packaging/ and listed here.
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; Only the bundle: nothing is ever written into the data folder by the installer.
Source: "..\dist\binhan\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Bình An"; Filename: "{app}\binhan.exe"
Name: "{group}\{cm:UninstallProgram,Bình An}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Bình An"; Filename: "{app}\binhan.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\binhan.exe"; Description: "{cm:LaunchProgram,Bình An}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry: the uninstaller removes only what [Files] installed, so
; %LOCALAPPDATA%\binhan (the node's encrypted database, backups and key slots) is left alone.
