<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../ui/accounts/dialogs.py" line="+79"/>
        <location line="+18"/>
        <source>Thêm tài khoản</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>không dấu, không dấu cách, ví dụ: lan.nguyen</source>
        <translation>no accents, no spaces, e.g. lan.nguyen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mật khẩu ban đầu:</source>
        <translation>First password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhập lại mật khẩu:</source>
        <translation>Password again:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đưa mật khẩu ban đầu tận tay người dùng; không gửi qua Zalo, Facebook hay thư điện tử.</source>
        <translation>Hand the first password to the person yourself; never send it by Zalo, Facebook or e-mail.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Hãy nhập mật khẩu ban đầu hai lần.</source>
        <translation>Type the first password twice.</translation>
    </message>
</context>
<context>
    <name>AccountRoles</name>
    <message>
        <location line="-79"/>
        <source>Điểm (địa chỉ tin cậy):</source>
        <extracomment>Roles offered for a new account, in this order; &quot;admin&quot; last (few people should have it).</extracomment>
        <translation>Point (trusted address):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Danh mục chưa có địa chỉ tin cậy nào: hãy thêm điểm ở trang Danh mục trước, rồi thêm cán bộ của điểm.</source>
        <translation>The registry has no trusted address yet: add the point on the Registries page first, then its cadre.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vai trò:</source>
        <translation>Role:</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../../ui/accounts/page.py" line="+68"/>
        <source>Chỉ quản trị viên quản lý tài khoản. Bạn đổi mật khẩu của mình ở trang Cài đặt.</source>
        <extracomment>An account changed (added, disabled, reset…): carries its user name.</extracomment>
        <translation>Only an administrator manages accounts. You change your own password on the Settings page.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mỗi người dùng một tài khoản riêng; không dùng chung mật khẩu. Mọi thay đổi ở đây được ghi vào nhật ký.</source>
        <translation>One account for each person; never share a password. Every change made here is written in the audit log.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Điểm (địa chỉ tin cậy)</source>
        <translation>Point (trusted address)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đăng nhập gần nhất</source>
        <translation>Last log-in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tình trạng</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+44"/>
        <source>Chờ đổi mật khẩu dùng một lần</source>
        <translation>Must replace a one-time password</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>+ Thêm tài khoản…</source>
        <translation>+ Add account…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+150"/>
        <source>Vô hiệu hóa</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>Bật lại</source>
        <translation>Enable again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đặt lại mật khẩu…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đổi vai trò…</source>
        <translation>Change role…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Đã vô hiệu hóa</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bị khóa do nhập sai mật khẩu nhiều lần</source>
        <translation>Locked after too many wrong passwords</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>chưa có</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(điểm không còn trong danh mục)</source>
        <translation>(point no longer in the registry)</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Đây là tài khoản của bạn: hãy nhờ một quản trị viên khác.</source>
        <translation>This is your own account: ask another administrator.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã thêm tài khoản {user}.</source>
        <translation>Account {user} added.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đã đổi vai trò của {user}.</source>
        <translation>The role of {user} was changed.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Vô hiệu hóa tài khoản</source>
        <translation>Disable account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vô hiệu hóa tài khoản {user} ({name})?</source>
        <translation>Disable the account {user} ({name})?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người này không đăng nhập được nữa, kể cả bằng mật khẩu cũ. Hồ sơ họ đã ghi vẫn còn. Có thể bật lại sau (khi đó cần mật khẩu dùng một lần mới).</source>
        <translation>This person can no longer log in, not even with the old password. The records they made stay. The account can be enabled again later (with a new one-time password).</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Đã vô hiệu hóa tài khoản {user}.</source>
        <translation>Account {user} disabled.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đặt lại mật khẩu của {user} ({name})?</source>
        <translation>Reset the password of {user} ({name})?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu hiện nay hết hiệu lực ngay. Bạn nhận một mật khẩu dùng một lần để đưa tận tay người đó; họ phải đổi nó ở lần đăng nhập tới.</source>
        <translation>The present password stops working at once. You get a one-time password to hand to the person yourself; they must replace it at their next log-in.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đặt lại</source>
        <translation>Reset</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Đã mở khóa tài khoản {user}: người đó đăng nhập lại được ngay.</source>
        <translation>Account {user} unlocked: the person can log in again at once.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Đã cấp mật khẩu dùng một lần cho {user}.</source>
        <translation>A one-time password was issued to {user}.</translation>
    </message>
</context>
<context>
    <name>ActivitiesPage</name>
    <message>
        <location filename="../../ui/activities/page.py" line="+47"/>
        <source>Tìm theo tên hoạt động (không cần dấu)…</source>
        <extracomment>How many years back the year filter looks for activities. An activity form was opened (new or stored); carries the form. A form saved or deleted an activity; carries its id (the list has been asked to reload).</extracomment>
        <translation>Search by activity title (accents optional)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Danh sách hoạt động</source>
        <translation>List of activities</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chỉ xem: vai trò của bạn không ghi được hoạt động.</source>
        <translation>View only: your role cannot record activities.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nhóm:</source>
        <translation>Group:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Năm:</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Hoạt động &amp;mới</source>
        <translation>&amp;New activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tìm hoạt động</source>
        <translation>&amp;Find activity</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+ Hoạt động mới</source>
        <translation>+ New activity</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Không mở được hoạt động</source>
        <translation>Cannot open the activity</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>{count} hoạt động</source>
        <translation>
            <numerusform>{count} activity</numerusform>
            <numerusform>{count} activities</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityForm</name>
    <message>
        <location filename="../../ui/activities/form.py" line="+92"/>
        <source>— chọn loại hoạt động —</source>
        <extracomment>Activity groups whose work is counted in copies, items or broadcasts rather than (only) in people (the quantity is shown for them: data/forms/activity.toml says so, tests/ui/test_form_engine.py checks both agree).</extracomment>
        <translation>— choose the kind of activity —</translation>
    </message>
    <message>
        <location line="+248"/>
        <source>đến ngày</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Từ ngày (dd/mm/yyyy)</source>
        <translation>From (dd/mm/yyyy)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tổng số</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nữ</source>
        <translation>Women</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nam</source>
        <translation>Men</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thanh thiếu niên</source>
        <translation>Young people</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Số người tham gia</source>
        <translation>Participants</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>— không gắn với mô hình —</source>
        <translation>— not linked to a model —</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>— không gắn với trường —</source>
        <translation>— not linked to a school —</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>đồng</source>
        <translation>VND</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kinh phí đã chi</source>
        <translation>Amount spent</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Thêm tệp…</source>
        <translation>Add file…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xem tệp</source>
        <translation>View file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vai trò của bạn không được mở tệp đính kèm (tệp có thể có hình ảnh, tên người).</source>
        <translation>Your role may not open attachments (they may show pictures or names of people).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gỡ tệp</source>
        <translation>Remove file</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Các tệp</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>Lưu (Ctrl+S)</source>
        <extracomment>A save went through; carries the activity id. The activity was deleted; carries its id.</extracomment>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xóa hoạt động…</source>
        <translation>Delete activity…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Lưu hoạt động</source>
        <translation>Save activity</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chỗ chưa hợp lệ tiếp theo</source>
        <translation>Next field to correct</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỗ chưa hợp lệ trước</source>
        <translation>Previous field to correct</translation>
    </message>
    <message>
        <location line="+161"/>
        <source>{name} (đã xóa)</source>
        <translation>{name} (deleted)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Chỉ xem: vai trò của bạn không sửa được hoạt động.</source>
        <translation>View only: your role cannot edit activities.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Thuộc đợt: {marks}</source>
        <translation>Part of: {marks}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Không có thay đổi nào cần lưu.</source>
        <translation>There are no changes to save.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã lưu hoạt động (lần sửa {rev}).</source>
        <translation>Activity saved (revision {rev}).</translation>
    </message>
    <message numerus="yes">
        <location line="+37"/>
        <source>Chưa lưu: có {count} chỗ chưa hợp lệ, đã đánh dấu đỏ bên dưới.</source>
        <translation>
            <numerusform>Not saved: {count} entry is not valid; it is marked in red below.</numerusform>
            <numerusform>Not saved: {count} entries are not valid; they are marked in red below.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F8: chỗ tiếp theo, Shift+F8: chỗ trước.</source>
        <translation>F8: next one, Shift+F8: previous one.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Hoạt động: {title}</source>
        <translation>Activity: {title}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lần sửa {rev}</source>
        <translation>Revision {rev}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hoạt động mới</source>
        <translation>New activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa lưu.</source>
        <translation>Not saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{title} — Bình An</source>
        <translation>{title} — Bình An</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} ({size}, thêm ngày {day})</source>
        <translation>{name} ({size}, added {day})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} (sẽ đính kèm khi lưu)</source>
        <translation>{name} (attached when saved)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa có tệp nào.</source>
        <translation>No files yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp mới được đính kèm ngay sau khi lưu hoạt động.</source>
        <translation>New files are attached as soon as the activity is saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp được giữ trong cơ sở dữ liệu đã mã hóa, không gửi lên cấp trên.</source>
        <translation>Files are kept in the encrypted database and are never sent to the level above.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chọn tệp đính kèm</source>
        <translation>Choose a file to attach</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ảnh và tài liệu (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx)</source>
        <translation>Pictures and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mọi tệp (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Không đọc được tệp {name}.</source>
        <translation>Cannot read the file {name}.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Có tệp chưa đính kèm được:</source>
        <translation>Some files could not be attached:</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Lưu bản sao tệp</source>
        <translation>Save a copy of the file</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Không lưu được tệp vào {path}.</source>
        <translation>Cannot save the file to {path}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Xóa hoạt động</source>
        <translation>Delete activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa hoạt động “{title}”?</source>
        <translation>Delete the activity “{title}”?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động và tệp đính kèm sẽ không còn trong danh sách và báo cáo.</source>
        <translation>The activity and its attachments will no longer appear in lists and reports.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Không xóa</source>
        <translation>Do not delete</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Thay đổi chưa lưu</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động này có thay đổi chưa lưu.</source>
        <translation>This activity has unsaved changes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bạn muốn lưu trước khi đóng không?</source>
        <translation>Do you want to save before closing?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không lưu</source>
        <translation>Do not save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../../ui/activities/list_model.py" line="+31"/>
        <source>Tháng hành động</source>
        <extracomment>The core&apos;s campaign flags, in the order the marks are shown.</extracomment>
        <translation>Action Month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>25/11</source>
        <translation>25/11</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tháng 6</source>
        <translation>June</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới (15/11–15/12)</source>
        <translation>Action Month for gender equality and the prevention of and response to gender-based violence (15/11–15/12)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngày quốc tế xóa bỏ bạo lực đối với phụ nữ (25/11)</source>
        <translation>International Day for the Elimination of Violence against Women (25/11)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tháng hành động quốc gia về phòng, chống bạo lực gia đình (tháng 6)</source>
        <translation>National Action Month on preventing domestic violence (June)</translation>
    </message>
</context>
<context>
    <name>ActivityListModel</name>
    <message>
        <location line="+41"/>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại hoạt động</source>
        <translation>Kind of activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên hoạt động</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số người</source>
        <translation>People</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nữ</source>
        <translation>Women</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhóm đối tượng</source>
        <translation>Target group</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đợt cao điểm</source>
        <translation>Campaign</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+312"/>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người quản trị tạo tài khoản cho cán bộ khác và giữ mã khôi phục.</source>
        <translation>The administrator creates accounts for other staff and keeps the recovery key.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: quantri (không dấu cách)</source>
        <translation>For example: admin (no spaces)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: Nguyễn Thị Lan</source>
        <translation>For example: Nguyen Thi Lan</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hãy chọn mật khẩu dài, dễ nhớ với bạn nhưng khó đoán với người khác, ví dụ một câu ngắn. Không ghi mật khẩu lên giấy dán cạnh máy.</source>
        <translation>Choose a long password that is easy for you to remember and hard for others to guess, for example a short sentence. Do not write it on a note stuck beside the computer.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhập lại mật khẩu:</source>
        <translation>Password again:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Hai lần nhập mật khẩu không giống nhau.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <location filename="../../ui/activities/form.py" line="+43"/>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>BackupsPage</name>
    <message>
        <location filename="../../ui/backups/page.py" line="+75"/>
        <source>Thời điểm</source>
        <translation>When</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kích thước</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đơn vị</source>
        <translation>Node</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người tạo</source>
        <translation>Made by</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+74"/>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Lý do</source>
        <translation>Why</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+68"/>
        <source>Trước khi khôi phục</source>
        <translation>Before a restore</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Chưa có bản sao lưu nào.</source>
        <translation>No backups yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+59"/>
        <source>Sao lưu ngay</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>Khôi phục…</source>
        <translation>Restore…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khôi phục từ tệp khác…</source>
        <translation>Restore from another file…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+14"/>
        <source> giờ</source>
        <translation> h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sao lưu tự động khi đăng xuất nếu có thay đổi, cách nhau ít nhất:</source>
        <translation>Automatic backup at log-out after a change, at least this far apart:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Vai trò của bạn không sao lưu hay khôi phục được dữ liệu.</source>
        <translation>Your role cannot back up or restore the data.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source> — đơn vị khác</source>
        <translation> — another node</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tự động</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>chưa có</source>
        <translation>none yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bản sao lưu được mã hóa bằng khóa của đơn vị và nằm trong thư mục dữ liệu (backups); giữ {keep} bản gần nhất. Lần sao lưu gần nhất: {when}. Nên chép định kỳ một bản ra USB cất ở nơi khác.</source>
        <translation>Backups are encrypted with the node&apos;s key and kept in the data folder (backups); the newest {keep} are kept. Last backup: {when}. Copy one to a USB stick kept elsewhere from time to time.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã hủy. Không có gì thay đổi.</source>
        <translation>Cancelled. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Đang sao chép dữ liệu hiện tại…</source>
        <translation>Copying the current data…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đang chép bản sao lưu vào…</source>
        <translation>Copying the backup in…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Đang sao lưu…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đã sao lưu: {file}</source>
        <translation>Backed up: {file}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chọn bản sao lưu</source>
        <translation>Choose a backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản sao lưu Bình An (*.db)</source>
        <translation>Bình An backups (*.db)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Khôi phục bản sao lưu</source>
        <translation>Restore a backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khôi phục dữ liệu về bản sao lưu lúc {when}?</source>
        <translation>Restore the data to the backup of {when}?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dữ liệu hiện tại được sao lưu trước (lý do «Trước khi khôi phục»), rồi được thay bằng bản này: những gì ghi sau {when} sẽ không còn trong dữ liệu đang dùng, nhưng vẫn nằm trong bản sao lưu vừa tạo. Nhật ký giữ lại mọi mục và ghi lần khôi phục này. Cửa sổ được dựng lại sau khi khôi phục: hãy lưu những gì đang nhập dở trước.</source>
        <translation>The current data is backed up first (why: «Before a restore»), then replaced by this backup: what was saved after {when} will no longer be in the data in use, but stays in the backup just made. The audit log keeps every entry and records this restore. The window is rebuilt after the restore: save any unfinished work first.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Khôi phục</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Không khôi phục</source>
        <translation>Do not restore</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang khôi phục…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã khôi phục bản sao lưu lúc {when}. Dữ liệu trước đó được giữ trong bản sao lưu {file}.</source>
        <translation>Restored the backup of {when}. The data it replaced is kept in the backup {file}.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Đã lưu: sao lưu tự động cách nhau ít nhất {hours} giờ.</source>
        <translation>Saved: automatic backups at least {hours} hours apart.</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <location filename="../../ui/cases/form.py" line="+287"/>
        <source>Lưu (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>Đang mở…</source>
        <extracomment>A save went through; carries the case id. Every section is built and filled (at once, or after the first paint when deferred). The sections&apos; keys: data/forms/case.toml&apos;s, in its order (set for each form from the data).</extracomment>
        <translation>Opening…</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>Các phần của vụ việc</source>
        <translation>Sections of the case</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Ctrl+PgDown / Ctrl+PgUp hoặc Alt+1 … Alt+0: chuyển phần · F8: chỗ chưa hợp lệ tiếp theo</source>
        <translation>Ctrl+PgDown / Ctrl+PgUp or Alt+1 … Alt+0: change section · F8: next field to correct</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Lưu vụ việc</source>
        <translation>Save case</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phần sau</source>
        <translation>Next section</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phần trước</source>
        <translation>Previous section</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chỗ chưa hợp lệ tiếp theo</source>
        <translation>Next field to correct</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỗ chưa hợp lệ trước</source>
        <translation>Previous field to correct</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Chỉ xem: vai trò của bạn không sửa được vụ việc.</source>
        <translation>View only: your role cannot edit cases.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Ẩn thông tin nhận dạng</source>
        <translation>Hide identity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hiện thông tin nhận dạng</source>
        <translation>Show identity</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Thông tin nhận dạng đang hiện.</source>
        <translation>Identifying information is shown.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thông tin nhận dạng đã ẩn.</source>
        <translation>Identifying information is hidden.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Không có thay đổi nào cần lưu.</source>
        <translation>There are no changes to save.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã lưu vụ việc {code} (lần sửa {rev}).</source>
        <translation>Case {code} saved (revision {rev}).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Có thể là cùng một người</source>
        <translation>Possibly the same person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người bị bạo lực trong vụ việc này có thể đã được ghi trong vụ việc khác (cùng họ tên, và cùng số điện thoại, số định danh hoặc năm sinh):</source>
        <translation>The survivor of this case may already be recorded in another case (the same full name, and the same phone, ID number or year of birth):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Liên kết các vụ việc này là của cùng một người?</source>
        <translation>Link these cases as the same person&apos;s?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đúng, liên kết</source>
        <translation>Yes, link them</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không phải</source>
        <translation>No, another person</translation>
    </message>
    <message numerus="yes">
        <location line="+62"/>
        <source>Chưa lưu: có {count} chỗ chưa hợp lệ, đã đánh dấu đỏ bên dưới.</source>
        <translation>
            <numerusform>Not saved: {count} entry is not valid; it is marked in red below.</numerusform>
            <numerusform>Not saved: {count} entries are not valid; they are marked in red below.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F8: chỗ tiếp theo, Shift+F8: chỗ trước.</source>
        <translation>F8: next one, Shift+F8: previous one.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Vụ việc {code}</source>
        <translation>Case {code}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lần sửa {rev}</source>
        <translation>Revision {rev}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vụ việc mới</source>
        <translation>New case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa lưu; mã vụ việc được cấp khi lưu lần đầu.</source>
        <translation>Not saved yet; the case code is given on the first save.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{title} — Bình An</source>
        <translation>{title} — Bình An</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>chưa gửi lên cấp trên</source>
        <translation>not yet sent to the parent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>đã tạo gói, chưa gửi</source>
        <translation>in a package, not yet sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>đã gửi, chờ cấp trên nhận</source>
        <translation>sent, waiting for the parent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cấp trên đã nhận</source>
        <translation>received by the parent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cấp trên đã xác nhận</source>
        <translation>confirmed by the parent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cấp trên để riêng, chưa nhập (xem trang Đồng bộ)</source>
        <translation>kept aside by the parent, not applied (see the Sync page)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lần sửa {rev} · {state}</source>
        <translation>Revision {rev} · {state}</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>Thay đổi chưa lưu</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vụ việc này có thay đổi chưa lưu.</source>
        <translation>This case has unsaved changes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bạn muốn lưu trước khi đóng không?</source>
        <translation>Do you want to save before closing?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không lưu</source>
        <translation>Do not save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/cases/form_sections.py" line="+71"/>
        <source>Thông tin nhận dạng — chỉ lưu trên máy này, không bao giờ gửi đi</source>
        <extracomment>Left margin inside the frame (its border included): the labels inside are narrower by this, so the fields line up with the fields outside.</extracomment>
        <translation>Identity — kept on this computer only, never sent anywhere</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang ẩn. Bấm «Hiện thông tin nhận dạng» ở đầu trang để xem; mỗi lần mở xem được ghi vào nhật ký.</source>
        <translation>Hidden. Press «Show identity» at the top to see it; every viewing is recorded in the audit log.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>— Không thuộc điểm nào (xã trực tiếp) —</source>
        <translation>— Not at any point (the commune itself) —</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Nếu sự việc thuộc nhiều loại, chọn loại đứng trước trong danh sách (cụ thể hơn). Việc phân loại chỉ để thống kê, không quyết định việc hỗ trợ.</source>
        <translation>If the incident fits several types, choose the one listed first (the more specific). The classification is for statistics only; it never decides what help is given.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Chọn một loại để xem định nghĩa ngắn.</source>
        <translation>Choose a type to see a short definition.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Ý kiến giám sát</source>
        <translation>Supervisor&apos;s reviews</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đồng ý kết thúc vụ việc</source>
        <translation>Approve closing the case</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi ý kiến giám sát</source>
        <translation>Record the review</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Hãy lưu vụ việc trước khi ghi ý kiến giám sát.</source>
        <translation>Save the case before recording a review.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đã ghi ý kiến giám sát.</source>
        <translation>The review was recorded.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(đồng ý kết thúc)</source>
        <translation>(closure approved)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa có ý kiến giám sát.</source>
        <translation>No review yet.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa liên kết với vụ việc nào khác của người này.</source>
        <translation>Not linked to any other case of this person.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thông tin nhận dạng đã được xóa ngày {day}.</source>
        <translation>The identity was erased on {day}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Các vụ việc khác của cùng người</source>
        <translation>Other cases of the same person</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Quyền của người có thông tin</source>
        <translation>The person&apos;s rights</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khi người đó yêu cầu, hoặc đã quá thời hạn lưu giữ sau khi kết thúc: xóa hẳn thông tin nhận dạng (cả trong các bản sao lưu). Số liệu không nhận dạng vẫn được giữ và vẫn được thống kê.</source>
        <translation>When the person asks, or the retention period after closure has passed: erase the identity for good (in the backups too). The de-identified facts are kept and still counted.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Xóa thông tin nhận dạng…</source>
        <translation>Erase the identity…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Xóa thông tin nhận dạng</source>
        <translation>Erase the identity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa hẳn họ tên, địa chỉ, số điện thoại, diễn biến và mọi thông tin nhận dạng của vụ việc {code}? Không thể khôi phục.</source>
        <translation>Erase for good the name, address, phone, account and every identifying detail of case {code}? This cannot be undone.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Xóa hẳn</source>
        <translation>Erase for good</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không xóa</source>
        <translation>Do not erase</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đã xóa thông tin nhận dạng; số liệu vẫn được giữ.</source>
        <translation>The identity was erased; the facts are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/cases/form_widgets.py" line="+87"/>
        <source>Mã vụ việc, ví dụ TN01-2025-00012</source>
        <extracomment>The form&apos;s style: fields the core found fault with are outlined in red.</extracomment>
        <translation>Case code, e.g. TN01-2025-00012</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../ui/cases/list_model.py" line="+73"/>
        <source>Mã vụ việc</source>
        <translation>Case code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày tiếp nhận</source>
        <translation>Date reported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại bạo lực</source>
        <translation>Type of violence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhóm tuổi</source>
        <translation>Age group</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dịch vụ hỗ trợ</source>
        <translation>Services</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theo dõi tiếp</source>
        <translation>Next follow-up</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Quá hạn theo dõi</source>
        <translation>Follow-up overdue</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <location filename="../../ui/cases/page.py" line="+38"/>
        <source>Tìm theo mã hoặc tên (không cần dấu)…</source>
        <extracomment>A case was chosen (double-click or Enter); carries its id. The page opens it. A case form was opened (new or stored); carries the form. A form saved a case; carries its id (the list has been asked to reload).</extracomment>
        <translation>Search by code or name (accents optional)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tìm theo mã vụ việc…</source>
        <translation>Search by case code…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Danh sách vụ việc</source>
        <translation>List of cases</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Trạng thái:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại bạo lực:</source>
        <translation>Type of violence:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Năm tiếp nhận:</source>
        <translation>Year reported:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chỉ vụ việc quá hạn theo dõi</source>
        <translation>Overdue follow-ups only</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ vụ việc có việc đến hạn của tôi</source>
        <translation>Only cases with something due for me</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Vụ việc &amp;mới</source>
        <translation>&amp;New case</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>&amp;Mở vụ việc đang chọn</source>
        <translation>&amp;Open the selected case</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Tìm vụ việc</source>
        <translation>&amp;Find case</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+ Vụ việc mới (Ctrl+N)</source>
        <translation>+ New case (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Không mở được vụ việc</source>
        <translation>Cannot open the case</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>{count} vụ việc</source>
        <translation>
            <numerusform>{count} case</numerusform>
            <numerusform>{count} cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../ui/accounts/password.py" line="+123"/>
        <source>Đặt mật khẩu mới</source>
        <translation>Set a new password</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bạn vừa đăng nhập bằng mật khẩu dùng một lần. Hãy đặt mật khẩu của riêng bạn trước khi làm việc; từ nay chỉ bạn biết mật khẩu này.</source>
        <translation>You logged in with a one-time password. Choose a password of your own before you start; from now on only you know it.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Lưu mật khẩu mới</source>
        <translation>Save the new password</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>ChoiceCombo</name>
    <message>
        <location filename="../../ui/cases/form_widgets.py" line="+128"/>
        <source>— chưa chọn —</source>
        <translation>— not chosen —</translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+17"/>
        <source>Kiểm tra và tạo đơn vị</source>
        <translation>Check and create the node</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xem lại thông tin. Sau khi tạo, tên và mã đơn vị chỉ sửa được bằng cách thiết lập lại.</source>
        <translation>Check the details. Once created, the node’s name and code can only be changed by setting it up again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang tạo đơn vị và mã hóa dữ liệu, xin chờ…</source>
        <translation>Creating the node and encrypting its data, please wait…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cấp đơn vị: {kind}</source>
        <translation>Level: {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên đơn vị: {name}</source>
        <translation>Node name: {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã đơn vị: {code}</source>
        <translation>Node code: {code}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã đơn vị cấp trên: {parent}</source>
        <translation>Parent node code: {parent}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(không có)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ tỉnh: {profile}</source>
        <translation>Province profile: {profile}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(chưa chọn)</source>
        <translation>(not chosen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quản trị viên: {name} ({username})</source>
        <translation>Administrator: {name} ({username})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thư mục dữ liệu: {folder}</source>
        <translation>Data folder: {folder}</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../ui/cases/form_widgets.py" line="-86"/>
        <source>Ngày, tháng, năm: dd/mm/yyyy</source>
        <translation>Day, month, year: dd/mm/yyyy</translation>
    </message>
</context>
<context>
    <name>DownstreamPanel</name>
    <message>
        <location filename="../../ui/sync/downstream.py" line="+37"/>
        <source>Xuất hồ sơ tỉnh…</source>
        <extracomment>Files imported again in this sitting (nothing changed, so nothing is stored); refusals are kept by `sync.refusals` beside the database and come with every snapshot.</extracomment>
        <translation>Export province profile…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Xuất hồ sơ cho cấp dưới…</source>
        <translation>Export profile for the level below…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập tệp đăng ký…</source>
        <translation>Import registration file…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đơn vị này</source>
        <translation>This node</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Mã</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên đơn vị</source>
        <translation>Node name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cấp</source>
        <translation>Level</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(gửi qua một đơn vị cấp dưới trực tiếp)</source>
        <translation>(sends through a node directly below)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mã đối chiếu</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Gói gần nhất</source>
        <translation>Last package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Biên nhận gần nhất</source>
        <translation>Last receipt</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Hạn gửi năm nay</source>
        <translation>This year’s deadline</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Ban hành hồ sơ mới…</source>
        <translation>Publish a new profile…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ban hành danh mục mới…</source>
        <translation>Publish new option lists…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{name} (đã thu hồi đăng ký)</source>
        <translation>{name} (registration revoked)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Báo cáo năm đã nhận</source>
        <translation>Annual report received</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+63"/>
        <source>Để riêng</source>
        <translation>Kept aside</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Lưu PDF báo cáo năm…</source>
        <translation>Save annual report PDF…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lưu bản PDF báo cáo năm mới nhất mà đơn vị đang chọn đã gửi lên, đúng như đơn vị đó đã lập.</source>
        <translation>Save the newest annual report PDF the selected unit sent, exactly as the unit made it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Các đơn vị cấp dưới đã đăng ký</source>
        <translation>Registered nodes below</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thu hồi đăng ký…</source>
        <translation>Revoke registration…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Khi máy của đơn vị cấp dưới bị mất hoặc bị lấy cắp: từ nay gói ký bằng khóa của máy đó bị từ chối. Dữ liệu đã nhận vẫn giữ nguyên.</source>
        <translation>When a unit&apos;s computer is lost or stolen: from now on packages signed with that computer&apos;s key are refused. The data already received stays.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Nhập gói…</source>
        <translation>Import packages…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập cả thư mục gói…</source>
        <translation>Import a whole folder of packages…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhận gói qua thư</source>
        <translation>Fetch packages by e-mail</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cài đặt thư…</source>
        <translation>Mail settings…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tạo gói gửi xuống…</source>
        <translation>Make down-packages…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Một gói cho mỗi đơn vị cấp dưới: hồ sơ tỉnh mới nhất (chỉ tiêu, hạn báo cáo), các danh mục và biên nhận.</source>
        <translation>One package for each node below: the latest province profile (targets, report deadline), the option lists and receipts.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhập lại bản ghi để riêng</source>
        <translation>Retry records kept aside</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thử nhập lại những bản ghi trước đây phải để riêng (mã danh mục chưa có, đơn vị chưa được xác nhận…). Việc này cũng tự chạy khi có danh mục mới hoặc gói mới từ đơn vị đó.</source>
        <translation>Try again to apply the records kept aside earlier (a code not yet in the lists, a node not yet vouched for…). This also runs by itself when new option lists or a new package from that node arrive.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nhận lúc</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Từ</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gói</source>
        <translation>Package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản ghi</source>
        <translation>Records</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Biên nhận</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Gói đã nhận</source>
        <translation>Packages received</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{sender} (tự khai, chưa kiểm chứng)</source>
        <translation>{sender} (as claimed, not verified)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chưa nhận</source>
        <translation>Not received</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Năm {year} ({day})</source>
        <translation>{year} ({day})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Năm {year}: hoàn tất {finalised}, nhận lần đầu {received}, bản mới nhất nhận {latest}</source>
        <translation>{year}: finalised {finalised}, first received {received}, newest version received {latest}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đã thu hồi đăng ký</source>
        <translation>Registration revoked</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đúng hạn ({day})</source>
        <translation>On time ({day})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gửi muộn ({day})</source>
        <translation>Sent late ({day})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trễ hạn {days} ngày</source>
        <translation>{days} days late</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thiếu báo cáo năm {year} (trễ {days} ngày)</source>
        <translation>{year} report missing ({days} days late)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chưa gửi, còn {days} ngày</source>
        <translation>Not sent, {days} days left</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Điểm: báo cáo năm do xã gửi</source>
        <translation>Point: its commune sends the annual report</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} (mã {code}) · Mã đối chiếu: {fingerprint}</source>
        <translation>{name} (code {code}) · Fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đơn vị chưa có hồ sơ tỉnh nên chưa biết hạn gửi báo cáo.</source>
        <translation>This node has no province profile yet, so the report deadline is not known.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đọc hộp thư nhận gói, nhập từng gói và gửi biên nhận lại bằng thư cho đơn vị đã gửi.</source>
        <translation>Read the mailbox that receives packages, import each package and mail the receipt back to the sender.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa cài đặt: bấm «Cài đặt thư…».</source>
        <translation>Not set up: click “Mail settings…”.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{count} bản ghi từ cấp dưới đang để riêng, chưa nhập.</source>
        <translation>{count} records from below are kept aside, not applied.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>không có xác nhận của cấp trên trực tiếp</source>
        <translation>not vouched for by its direct parent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mã đã thuộc đơn vị khác</source>
        <translation>code already held by another node</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>khóa của đơn vị khác</source>
        <translation>another node&apos;s keys</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>khóa đã thu hồi</source>
        <translation>revoked keys</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>đã thuộc nhánh khác</source>
        <translation>already reached through another branch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quá nhiều đơn vị mới trong một gói</source>
        <translation>too many new nodes in one package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{code} qua {via}: {reason}</source>
        <translation>{code} via {via}: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cách ly {count} đơn vị cấp dưới do cấp dưới khai (không nhận số liệu của chúng): {list}</source>
        <translation>{count} nodes claimed from below are quarantined (their figures are not taken): {list}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> và {more} đơn vị khác.</source>
        <translation> and {more} more.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhật ký kiểm tra của {name} ({code}) đi lùi: từ {had} mục xuống {now} mục (có thể đã khôi phục bản sao lưu cũ hoặc bị cắt bớt); hãy hỏi đơn vị đó.</source>
        <translation>The audit log of {name} ({code}) went backwards: from {had} entries to {now} (an old backup restored, or the log cut); ask that unit.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đã nhập thêm {count} bản ghi để riêng; số còn lại vẫn để riêng kèm lý do.</source>
        <translation>{count} records kept aside were applied; the rest stay aside with their reasons.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang nhập lại bản ghi để riêng…</source>
        <translation>Retrying the records kept aside…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>số {first}–{last}</source>
        <translation>numbers {first}–{last}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>phần {part}/{parts}</source>
        <translation>part {part}/{parts}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã nhập {applied} bản ghi, {unchanged} không đổi</source>
        <translation>Imported {applied} records, {unchanged} unchanged</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chưa lập</source>
        <translation>Not made</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Lưu hồ sơ cho cấp dưới</source>
        <translation>Save the profile for the level below</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hồ sơ tỉnh (*.profile.binhan)</source>
        <translation>Province profile (*.profile.binhan)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đã lưu hồ sơ {path}. Gửi tệp này cho các đơn vị cấp dưới. Khi họ gọi điện, đọc cho họ mã đối chiếu của đơn vị này: {fingerprint}</source>
        <translation>Profile saved as {path}. Send this file to the nodes below. When they phone you, read them this node’s fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang lập hồ sơ…</source>
        <translation>Making the profile…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chọn tệp hồ sơ tỉnh phiên bản mới</source>
        <translation>Choose the new version of the province profile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ tỉnh (*.toml);;Tất cả tệp (*)</source>
        <translation>Province profile (*.toml);;All files (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã ban hành hồ sơ phiên bản {version} (trước: {previous}); thay đổi: {changed}. Bấm «Tạo gói gửi xuống…» để gửi cho các đơn vị cấp dưới.</source>
        <translation>Profile version {version} published (was {previous}); changed: {changed}. Press «Make down-packages…» to send it to the nodes below.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang ban hành hồ sơ…</source>
        <translation>Publishing the profile…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chọn thư mục chứa các danh mục phiên bản mới (.toml)</source>
        <translation>Choose the folder holding the new list versions (.toml)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đã ban hành danh mục: {lists}. {applied} bản ghi để riêng nay đã nhập. Bấm «Tạo gói gửi xuống…» để gửi cho các đơn vị cấp dưới.</source>
        <translation>Lists published: {lists}. {applied} records kept aside are now applied. Press «Make down-packages…» to send them to the nodes below.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang ban hành danh mục…</source>
        <translation>Publishing the option lists…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chọn tệp đăng ký của cấp dưới</source>
        <translation>Choose the registration file from below</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp đăng ký (*.registration.binhan);;Tất cả tệp (*)</source>
        <translation>Registration file (*.registration.binhan);;All files (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đang đọc tệp đăng ký…</source>
        <translation>Reading the registration file…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Đã đăng ký {name} (mã {code}). Từ nay nhận được gói của đơn vị này.</source>
        <translation>{name} (code {code}) is registered. Its packages are accepted from now on.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã cập nhật đăng ký của {name} (mã {code}).</source>
        <translation>Registration of {name} (code {code}) updated.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang đăng ký…</source>
        <translation>Registering…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chọn các tệp gói của cấp dưới</source>
        <translation>Choose the package files from below</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gói đồng bộ (*{suffix});;Tất cả tệp (*)</source>
        <translation>Sync package (*{suffix});;All files (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chọn thư mục (hoặc ổ USB) chứa các gói</source>
        <translation>Choose the folder (or USB drive) that holds the packages</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chọn nơi ghi biên nhận (ví dụ ổ USB mang về cho xã)</source>
        <translation>Choose where to write the receipts (for example the USB drive going back to the commune)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa nhập gói nào: cần chọn nơi ghi biên nhận để gửi lại cho cấp dưới.</source>
        <translation>No package imported: choose where to write the receipts to send back below.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang kiểm tra chữ ký, giải mã và nhập từng gói…</source>
        <translation>Checking signatures, decrypting and importing each package…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang lập biên nhận…</source>
        <translation>Making receipts…</translation>
    </message>
    <message>
        <location line="-258"/>
        <location line="+271"/>
        <source>Từ chối: {reason}</source>
        <translation>Refused: {reason}</translation>
    </message>
    <message>
        <location line="-219"/>
        <source>Hạn gửi báo cáo năm {year} theo hồ sơ tỉnh: {day}. Cột «Hạn gửi năm nay» xét ngày báo cáo năm {year} của đơn vị đến nơi (các gói số liệu khác không tính).</source>
        <translation>The province profile&apos;s deadline for the {year} annual report: {day}. The “This year&apos;s deadline” column looks at when the unit&apos;s {year} annual report arrived (other data packages do not count).</translation>
    </message>
    <message>
        <location line="+225"/>
        <source>Đã nhập từ trước, không thay đổi gì</source>
        <translation>Already imported, nothing changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lập lại</source>
        <translation>Make again</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không thấy tệp gói (*{suffix}) nào ở nơi đã chọn.</source>
        <translation>No package file (*{suffix}) found where you chose.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã nhập {applied} gói, {replayed} gói đã có từ trước, từ chối {refused} gói.</source>
        <translation>Imported {applied} packages, {replayed} already imported before, {refused} refused.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Biên nhận đã ghi vào {folder}: {files}. Gửi biên nhận về cho cấp dưới.</source>
        <translation>Receipts written to {folder}: {files}. Send the receipts back to the nodes below.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã dừng trước khi nhập hết; các gói còn lại nhập sau cũng được.</source>
        <translation>Stopped before importing everything; the remaining packages can be imported later.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang nhập gói…</source>
        <translation>Importing packages…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{messages} thư mới: đã nhập {applied} gói, {replayed} gói đã có từ trước, từ chối {refused} gói.</source>
        <translation>{messages} new message(s): {applied} package(s) imported, {replayed} already imported, {refused} refused.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã gửi {count} thư biên nhận về các đơn vị.</source>
        <translation>{count} receipt message(s) sent back to the units.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa gửi được thư biên nhận; lần nhận thư sau sẽ gửi lại.</source>
        <translation>The receipts could not be mailed; the next fetch sends them again.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang đọc hộp thư nhận gói…</source>
        <translation>Reading the package mailbox…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang tải thư, nhập từng gói và gửi biên nhận…</source>
        <translation>Downloading messages, importing each package and sending receipts…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Thu hồi đăng ký</source>
        <translation>Revoke registration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thu hồi đăng ký của {name} (mã {code})?</source>
        <translation>Revoke the registration of {name} (code {code})?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Làm việc này khi máy tính của đơn vị đó bị mất, bị lấy cắp hoặc đơn vị thôi hoạt động. Từ nay mọi gói ký bằng khóa của máy đó đều bị từ chối và đơn vị đó không nhận gói gửi xuống. Số liệu đã nhận vẫn giữ nguyên. Muốn nhận lại, đơn vị đó phải đăng ký lại và hai bên so khớp mã đối chiếu qua điện thoại.</source>
        <translation>Do this when that unit&apos;s computer is lost or stolen, or the unit has closed. From now on every package signed with that computer&apos;s key is refused and the unit gets no down-package. The figures already received stay. To be accepted again the unit must register again, with the fingerprints compared by phone.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thu hồi</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Đang thu hồi đăng ký…</source>
        <translation>Revoking the registration…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã thu hồi đăng ký của {name} (mã {code}). Gói của đơn vị này từ nay bị từ chối.</source>
        <translation>Revoked the registration of {name} (code {code}). Its packages are refused from now on.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Chọn một đơn vị đã gửi báo cáo năm trong bảng trên.</source>
        <translation>Choose a unit that has sent its annual report in the table above.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lưu PDF báo cáo năm của cấp dưới</source>
        <translation>Save a unit&apos;s annual report PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đã lưu báo cáo năm {year} của {name} vào {path}.</source>
        <translation>Saved {name}&apos;s {year} annual report to {path}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang lưu báo cáo năm…</source>
        <translation>Saving the annual report…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chọn thư mục hoặc ổ USB để ghi gói gửi xuống</source>
        <translation>Choose a folder or USB drive for the down-packages</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chưa có đơn vị cấp dưới nào đăng ký, nên không có gói để gửi xuống.</source>
        <translation>No node below has registered yet, so there is no package to send down.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã ghi {count} gói gửi xuống vào {folder}: {files}. Mỗi đơn vị nhập gói của mình bằng nút «Nhập biên nhận / gói từ cấp trên…».</source>
        <translation>Wrote {count} down-packages to {folder}: {files}. Each node imports its own with the button «Import receipt / package from above…».</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang tạo gói gửi xuống…</source>
        <translation>Making down-packages…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang lập hồ sơ, danh mục và biên nhận…</source>
        <translation>Making the profile, option lists and receipts…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/i18n.py" line="+83"/>
        <source>Đã xảy ra lỗi không mong muốn. Hãy thử lại; nếu vẫn lỗi, hãy báo cho cán bộ hỗ trợ kỹ thuật.</source>
        <translation>Something unexpected went wrong. Please try again; if it keeps happening, tell your technical support officer.</translation>
    </message>
</context>
<context>
    <name>FingerprintDialog</name>
    <message>
        <location filename="../../ui/sync/fingerprint.py" line="+43"/>
        <source>So khớp mã đối chiếu</source>
        <extracomment>The person confirmed; carries the fingerprint to hand to the core.</extracomment>
        <translation>Compare fingerprints</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} (mã {code}, cấp {kind}) xin đăng ký gửi dữ liệu lên đơn vị này.</source>
        <translation>{name} (code {code}, level {kind}) asks to send its data to this node.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Gọi điện cho cán bộ của {name} theo số điện thoại bạn đã biết (không dùng số ghi trong tệp hay thư gửi kèm). Đề nghị họ mở trang Đồng bộ và đọc mã đối chiếu của đơn vị họ. Gõ lại mã họ đọc vào ô dưới, hoặc so từng nhóm bốn chữ số rồi đánh dấu ô xác nhận. Nếu mã khác, đừng chấp nhận: tệp có thể không phải do họ gửi.</source>
        <translation>Phone the officer of {name} on a number you already know (not one written in the file or in a message that came with it). Ask them to open the Sync page and read out their node’s fingerprint. Type what they read into the box below, or compare each group of four digits and tick the confirmation box. If the fingerprints differ, do not accept: the file may not come from them.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tôi đã so từng nhóm chữ số: mã đọc qua điện thoại trùng với mã trên.</source>
        <translation>I compared every group of digits: the fingerprint read on the phone matches the one above.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chấp nhận đăng ký</source>
        <translation>Accept the registration</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không chấp nhận</source>
        <translation>Do not accept</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mã đối chiếu trong tệp:</source>
        <translation>Fingerprint in the file:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã đọc qua điện thoại:</source>
        <translation>Fingerprint read on the phone:</translation>
    </message>
</context>
<context>
    <name>FormEngine</name>
    <message>
        <location filename="../../ui/forms/engine.py" line="+77"/>
        <source>Bắt buộc.</source>
        <translation>Required.</translation>
    </message>
    <message>
        <location line="+197"/>
        <source>Xóa dòng này</source>
        <translation>Remove this row</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../../ui/help.py" line="+59"/>
        <source>Hướng dẫn sử dụng — {app}</source>
        <extracomment>No picture is shown wider than this (the files are about 1000 px wide). Parts of the guide other windows open it at, by the heading&apos;s text in each language.</extracomment>
        <translation>User guide — {app}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Tìm trong hướng dẫn…</source>
        <translation>Search the guide…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tìm tiếp</source>
        <translation>Find next</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Không tìm thấy tệp hướng dẫn sử dụng ({path}). Bản cài có thể thiếu tệp; hãy báo cho cán bộ hỗ trợ kỹ thuật.</source>
        <translation>The user guide file was not found ({path}). The installation may be missing files; tell your technical support officer.</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>Không thấy «{text}».</source>
        <translation>“{text}” not found.</translation>
    </message>
</context>
<context>
    <name>IntroPage</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="-342"/>
        <source>Chào mừng đến với {app}</source>
        <translation>Welcome to {app}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy tính này chưa có đơn vị nào. Vài bước sau sẽ thiết lập đơn vị của bạn.</source>
        <translation>This computer has no node yet. A few steps will set yours up.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bạn sẽ:
• cho biết đơn vị của mình (cấp, tên, mã, đơn vị cấp trên);
• chọn hồ sơ kế hoạch của tỉnh;
• tạo tài khoản quản trị viên;
• nhận mã khôi phục để in và cất giữ.

Dữ liệu được mã hóa và chỉ lưu trên máy này. Không ai, kể cả người viết phần mềm, mở được dữ liệu nếu không có mật khẩu hoặc mã khôi phục.</source>
        <translation>You will:
• say which node you are (level, name, code, node above);
• choose the province’s plan profile;
• create the administrator’s account;
• receive the recovery key to print and keep safe.

The data is encrypted and kept on this computer only. Nobody, not even the people who wrote the program, can open it without a password or the recovery key.</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <location line="+363"/>
        <source>Mã khôi phục</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đơn vị đã được tạo. Mã dưới đây chỉ hiện một lần.</source>
        <translation>The node has been created. The key below is shown only once.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/lock.py" line="+123"/>
        <source>Màn hình đã khóa</source>
        <extracomment>How often the time since the last input is checked. One step of the countdown after too many wrong passwords (tests shorten it).</extracomment>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{app} — {node}</source>
        <translation>{app} — {node}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Người dùng: {user}</source>
        <translation>User: {user}</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+59"/>
        <source>Dữ liệu đang được ẩn. Nhập mật khẩu của bạn để mở lại.</source>
        <translation>The data is hidden. Type your password to open it again.</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đổi người dùng…</source>
        <translation>Switch user…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Đã đăng xuất. Mời người dùng tiếp theo đăng nhập.</source>
        <translation>Logged out. The next person may log in.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hãy nhập mật khẩu.</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Bạn có thể thử lại.</source>
        <translation>You can try again.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="+45"/>
        <source>Đăng nhập — {app}</source>
        <extracomment>One step of the countdown after too many wrong passwords (tests shorten it). A log-in started (True) or ended (False; `session` is set first when it succeeded).</extracomment>
        <translation>Log in — {app}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Dữ liệu mẫu để tập huấn, không phải hồ sơ thật.</source>
        <translation>Demo data for training, not real records.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quên mật khẩu?</source>
        <translation>Forgot your password?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đặt lại mật khẩu bằng mã khôi phục của đơn vị (F1: hướng dẫn)</source>
        <translation>Reset a password with the node&apos;s recovery key (F1: the guide)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Hãy nhập tên đăng nhập.</source>
        <translation>Enter your user name.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Chưa đặt mật khẩu mới: hãy đăng nhập lại bằng mật khẩu dùng một lần.</source>
        <translation>No new password was set: log in again with the one-time password.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Bạn có thể thử đăng nhập lại.</source>
        <translation>You can try to log in again.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+297"/>
        <source>{app} — {node} — {user} ({role})</source>
        <extracomment>This window handed over to a new one (switch user, language); carries the new window. The window locked (True) or unlocked (False). A page was built (its key, the page): pages are built after the window opens or when first used. How often the status bar counts unsent changes again.</extracomment>
        <translation>{app} — {node} — {user} ({role})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[DỮ LIỆU MẪU / DEMO]</source>
        <translation>[DEMO DATA]</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Tổng quan</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vụ việc</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động</source>
        <translation>Activities</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Danh mục</source>
        <translation>Registries</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tài khoản</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sao lưu</source>
        <translation>Backups</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Các trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Đơn vị: {node} ({code})</source>
        <translation>Node: {node} ({code})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người dùng: {user}</source>
        <translation>User: {user}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vai trò: {role}</source>
        <translation>Role: {role}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa gửi: …</source>
        <translation>Unsent: …</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+371"/>
        <source>Biên nhận gần nhất: chưa có</source>
        <translation>Last receipt: none yet</translation>
    </message>
    <message>
        <location line="-360"/>
        <source>DỮ LIỆU MẪU — không phải hồ sơ thật</source>
        <translation>DEMO DATA — not real records</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Vai trò của bạn không xem được vụ việc.</source>
        <translation>Your role cannot see cases.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+72"/>
        <source>&amp;Vụ việc mới</source>
        <translation>&amp;New case</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>&amp;Hoạt động mới</source>
        <translation>New &amp;activity</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lưu</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Khóa ngay</source>
        <translation>&amp;Lock now</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đổi &amp;người dùng…</source>
        <translation>Switch &amp;user…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Thoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Chỉnh sửa</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+61"/>
        <source>&amp;Tìm vụ việc</source>
        <translation>&amp;Find case</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Cỡ chữ</source>
        <translation>&amp;Text size</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chữ &amp;to hơn</source>
        <translation>&amp;Larger text</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chữ &amp;nhỏ hơn</source>
        <translation>&amp;Smaller text</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hướng dẫn sử dụng</source>
        <translation>&amp;User guide</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Giới thiệu</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Hoạt động &amp;mới</source>
        <translation>&amp;New activity</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Tìm hoạt động</source>
        <translation>&amp;Find activity</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>Chưa gửi: {count} thay đổi</source>
        <translation>Unsent: {count} changes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Biên nhận gần nhất: {date}</source>
        <translation>Last receipt: {date}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa gửi: không rõ</source>
        <translation>Unsent: unknown</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Thay đổi chưa lưu</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Có nội dung đang nhập dở chưa lưu. Hãy lưu hoặc đóng nó trước.</source>
        <translation>Something is being typed and is not saved yet. Save or close it first.</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>Giới thiệu {app}</source>
        <translation>About {app}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{app}, phiên bản {version}</source>
        <translation>{app}, version {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phông chữ đi kèm: Noto Sans (chữ trong cửa sổ) và Tinos (chữ trong báo cáo PDF, cùng cỡ chữ với Times New Roman), cả hai theo Giấy phép Phông chữ Mở SIL 1.1 (SIL Open Font License 1.1); văn bản giấy phép nằm trong thư mục {folder}.</source>
        <translation>Fonts included: Noto Sans (the window&apos;s text) and Tinos (the text of PDF reports, the same size as Times New Roman), both under the SIL Open Font License 1.1; the licence texts are in the folder {folder}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phần mềm hỗ trợ phòng ngừa, ứng phó với bạo lực trên cơ sở giới ở cơ sở. Dữ liệu được mã hóa và lưu trên máy này.</source>
        <translation>Software for preventing and responding to gender-based violence at the grassroots. The data is encrypted and kept on this computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giấy phép: GNU GPL phiên bản 3 trở lên (GPL-3.0-or-later).</source>
        <translation>Licence: GNU GPL version 3 or later (GPL-3.0-or-later).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cách dùng phần mềm: menu Trợ giúp → Hướng dẫn sử dụng (phím F1).</source>
        <translation>How to use the program: menu Help → User guide (F1 key).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+3"/>
        <source>Đóng phiên làm việc</source>
        <translation>Closing the session</translation>
    </message>
</context>
<context>
    <name>ModelDialog</name>
    <message>
        <location filename="../../ui/registries/dialogs.py" line="+175"/>
        <source>Sửa mô hình</source>
        <translation>Edit model</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thêm mô hình</source>
        <translation>Add model</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loại mô hình</source>
        <translation>Kind of model</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên mô hình</source>
        <translation>Model name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày thành lập (dd/mm/yyyy)</source>
        <translation>Founded on (dd/mm/yyyy)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đổi tình trạng bằng nút “Đổi tình trạng…” để lịch sử ghi lại ngày đổi.</source>
        <translation>Change the status with the “Change status…” button so the history records the date.</translation>
    </message>
</context>
<context>
    <name>ModelsTab</name>
    <message>
        <location filename="../../ui/registries/page.py" line="+205"/>
        <source>Tên mô hình</source>
        <translation>Model name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Loại mô hình</source>
        <translation>Kind of model</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày thành lập</source>
        <translation>Founded on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tình trạng hiện nay</source>
        <translation>Current status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Từ ngày</source>
        <translation>Since</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Chưa có mô hình nào trong danh mục.</source>
        <translation>No model in the registry yet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+ Thêm mô hình</source>
        <translation>+ Add model</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đổi tình trạng…</source>
        <translation>Change status…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+37"/>
        <source>Lịch sử tình trạng</source>
        <translation>Status history</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Chọn một mô hình để xem các lần đổi tình trạng.</source>
        <translation>Choose a model to see its status changes.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Lịch sử tình trạng — {name}</source>
        <translation>Status history — {name}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>mô hình</source>
        <translation>model</translation>
    </message>
</context>
<context>
    <name>NewPasswordFields</name>
    <message>
        <location filename="../../ui/accounts/password.py" line="-66"/>
        <source>Mật khẩu mới:</source>
        <extracomment>The widest a password field grows.</extracomment>
        <translation>New password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhập lại mật khẩu mới:</source>
        <translation>New password again:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nên dùng một câu dài dễ nhớ (có thể gõ tiếng Việt có dấu).</source>
        <translation>A long sentence you remember easily is best (Vietnamese letters are fine).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Hai lần nhập mật khẩu mới chưa giống nhau.</source>
        <translation>The two new passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>NodePage</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="-348"/>
        <source>Đơn vị của bạn</source>
        <translation>Your node</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã đơn vị do cấp trên cấp; hỏi cán bộ phụ trách ở tỉnh nếu chưa có.</source>
        <translation>The node code is given by the level above; ask the officer in charge at the province if you do not have one.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Địa phương còn cấp huyện (trước ngày 01/07/2025)</source>
        <translation>The locality still has districts (before 01/07/2025)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ví dụ: Xã Đông Hưng</source>
        <translation>For example: Dong Hung commune</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: 12345 (chữ, số, - và _)</source>
        <translation>For example: 12345 (letters, digits, - and _)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Để trống nếu đơn vị là tỉnh</source>
        <translation>Leave empty if the node is a province</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cấp đơn vị:</source>
        <translation>Level:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên đơn vị:</source>
        <translation>Node name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mã đơn vị:</source>
        <translation>Node code:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mã đơn vị cấp trên:</source>
        <translation>Parent node code:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mã của đơn vị nhận số liệu của bạn (thường là tỉnh). Cán bộ phụ trách ở tỉnh cho bạn mã này cùng tệp hồ sơ tỉnh; mã cũng hiện trên trang Đồng bộ khi nhập hồ sơ đó. Phần mềm chỉ nhận hồ sơ của đúng đơn vị có mã này. Chưa biết thì để trống: đơn vị vẫn ghi vụ việc, hoạt động và lập báo cáo; cấp trên là đơn vị của hồ sơ tỉnh được nhập đầu tiên.</source>
        <translation>The code of the body that receives your figures (usually the province). The province&apos;s programme officer gives it to you with the province profile file; it also shows on the Sync page once that profile is imported. Only a profile from the body with this code is accepted. If you do not know it yet, leave it empty: the node still records cases and activities and makes reports, and its parent is the body of the first province profile imported.</translation>
    </message>
</context>
<context>
    <name>OneTimePasswordDialog</name>
    <message>
        <location filename="../../ui/accounts/dialogs.py" line="+169"/>
        <source>Mật khẩu dùng một lần</source>
        <extracomment>How long a copied password stays on the clipboard (if nothing else was copied since).</extracomment>
        <translation>One-time password</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mật khẩu dùng một lần của {user} ({name}). Hãy đưa tận tay người đó (đọc hoặc viết ra giấy), không gửi qua Zalo, Facebook hay thư điện tử. Người đó phải đặt mật khẩu mới ngay khi đăng nhập. Mật khẩu này chỉ hiện một lần.</source>
        <translation>The one-time password of {user} ({name}). Hand it to the person yourself (read it out or write it on paper); never send it by Zalo, Facebook or e-mail. They must choose a new password as soon as they log in. This password is shown only once.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Sao chép</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../ui/main_window.py" line="-757"/>
        <source>Tổng số vụ việc</source>
        <translation>Cases in total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang theo dõi, hỗ trợ</source>
        <translation>Being followed up and supported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quá hạn theo dõi</source>
        <translation>Follow-up overdue</translation>
    </message>
    <message>
        <location filename="../../ui/overview/page.py" line="+69"/>
        <source>vụ việc</source>
        <extracomment>The target badges&apos; grounds (white words on them) and the values&apos; colours: ui.style, contrast checked there.</extracomment>
        <translation>cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người gây bạo lực</source>
        <translation>perpetrators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người bị bạo lực</source>
        <translation>survivors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>trường</source>
        <translation>schools</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Quý {quarter}</source>
        <translation>Quarter {quarter}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Q{quarter}</source>
        <translation>Q{quarter}</translation>
    </message>
    <message>
        <location line="+339"/>
        <source>Năm:</source>
        <extracomment>A number was clicked: show page `page_key` (&quot;cases&quot;, &quot;activities&quot;, &quot;registries&quot;) with `filter` (a CaseFilter, an ActivityFilter, or for &quot;registries&quot; the tab key &quot;schools&quot;). The figures were shown; carries the OverviewData (for tests and screenshots). The targets&apos; quarters were read and given to their charts (after `loaded`); carries the same OverviewData. The table by commune was read and shown (after `loaded`, at a province or district); the same OverviewData. A due item was opened: carries the case id.</extracomment>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Vụ việc đang theo dõi, hỗ trợ</source>
        <translation>Cases being followed up and supported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vụ việc quá hạn theo dõi</source>
        <translation>Cases with follow-up overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động trong năm</source>
        <translation>Activities this year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lượt người tham gia hoạt động</source>
        <translation>Participants in activities</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mở danh sách vụ việc đang theo dõi, hỗ trợ</source>
        <translation>Open the list of cases being followed up and supported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mở danh sách vụ việc quá hạn theo dõi</source>
        <translation>Open the list of cases with follow-up overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Mở danh sách hoạt động của năm</source>
        <translation>Open the list of the year’s activities</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+3"/>
        <source>Việc đến hạn của bạn</source>
        <translation>What is due for you</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nguy cơ cao đứng đầu, rồi việc quá hạn. Enter hoặc nhấp đúp để mở vụ việc.</source>
        <translation>High risk first, then what is overdue. Enter or double-click opens the case.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Xem các vụ việc có việc đến hạn</source>
        <translation>See the cases with something due</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Bấm vào một dòng để mở danh sách hoạt động loại đó.</source>
        <translation>Click a row to open the list of activities of that kind.</translation>
    </message>
    <message>
        <location line="+160"/>
        <source>⏳ Đang tải số liệu năm {year}…</source>
        <translation>⏳ Loading the figures for {year}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đã tải xong số liệu năm {year}.</source>
        <translation>The figures for {year} are loaded.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Theo dõi</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Việc cần làm</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rà soát kế hoạch an toàn</source>
        <translation>Safety plan review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duyệt kết thúc vụ việc</source>
        <translation>Closure to approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hết thời hạn lưu giữ thông tin nhận dạng</source>
        <translation>Identity past its retention period</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>nguy cơ: {level}</source>
        <translation>risk: {level}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>QUÁ HẠN</source>
        <translation>OVERDUE</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Không có việc nào đến hạn trong 7 ngày tới.</source>
        <translation>Nothing is due in the next 7 days.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Việc đến hạn của bạn ({count})</source>
        <translation>What is due for you ({count})</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Chỉ tiêu năm {year} theo chuẩn quốc gia ({plan})</source>
        <translation>Targets for {year} under the national baseline ({plan})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ tiêu năm {year} theo Kế hoạch {plan} ({province})</source>
        <translation>{year} targets under Plan {plan} ({province})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ tiêu năm {year}</source>
        <translation>{year} targets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động năm {year} theo loại</source>
        <translation>Activities in {year} by kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoạt động trong năm {year}</source>
        <translation>Activities in {year}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lượt người tham gia hoạt động năm {year}</source>
        <translation>Participants in activities in {year}</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+8"/>
        <source>Đơn vị chưa chọn kế hoạch của tỉnh nên chưa có hạn báo cáo.</source>
        <translation>This node has not chosen a province plan, so there is no report deadline.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>hôm nay là hạn cuối</source>
        <translation>today is the last day</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>còn {days} ngày</source>
        <translation>
            <numerusform>{days} day left</numerusform>
            <numerusform>{days} days left</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hạn gửi báo cáo năm {year}: {day} ({left}) — gửi {body}</source>
        <translation>Deadline for the {year} report: {day} ({left}) — send to {body}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Vai trò của bạn không xem được số liệu vụ việc.</source>
        <translation>Your role cannot see case figures.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Kế hoạch của tỉnh chưa có chỉ tiêu nào.</source>
        <translation>The province plan has no targets.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ tính vụ việc bạo lực trên cơ sở giới trình báo lần đầu trong năm, không trùng lặp, có sự đồng ý được thống kê (người đã rút lại sự đồng ý không được tính). Vụ việc cơ quan khác cũng đã báo cáo vẫn được tính ở đơn vị ghi nhận; chỉ tỉnh, khi đã có hồ sơ của cơ quan đó về cùng vụ việc, mới loại ra để không tính hai lần. Bấm “Cách tính” ở mỗi chỉ tiêu để xem định nghĩa.</source>
        <translation>Only GBV cases first reported in the year, not duplicates, with consent to be counted (a withdrawn consent is not counted). A case another agency also reported is counted by the node that recorded it; only the province, when it holds that agency&apos;s record of the same case, leaves it out so that it is not counted twice. Press “How it is counted” on a target to see its definition.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Mở danh sách trường học</source>
        <translation>Open the list of schools</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mở danh sách vụ việc trình báo năm {year} (danh sách gồm cả vụ việc không được thống kê)</source>
        <translation>Open the list of cases reported in {year} (the list includes cases that are not counted)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{kind}: {count} hoạt động, {people} lượt người tham gia</source>
        <translation>{kind}: {count} activities, {people} participants</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Số hoạt động</source>
        <translation>Activities</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có hoạt động nào được ghi trong năm {year}.</source>
        <translation>No activity recorded in {year} yet.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+4"/>
        <source>Số liệu theo xã năm {year}</source>
        <translation>Figures by commune, {year}</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>⏳ Đang tính bảng số liệu theo xã…</source>
        <translation>⏳ Working out the table by commune…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Theo đơn vị đã ghi (xã gửi lên qua đồng bộ); chỉ các xã có vụ việc hoặc hoạt động trong năm. Chỉ tiêu tính như ở trên, cho từng xã; ô có số nhỏ được ghi “{label}” để bảo vệ người bị bạo lực.</source>
        <translation>By the unit that recorded them (sent up by sync); only communes with cases or activities in the year. Targets are computed as above, for each commune; small counts are shown as “{label}” to protect survivors.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ô ghi “x” được ẩn thêm (số thật có thể lớn) để không tính ngược ra được các ô ghi “{label}”.</source>
        <translation>A cell shown “x” is hidden as well (its true value may be large), so that the cells shown “{label}” cannot be worked out.</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../ui/main_window.py" line="-27"/>
        <source>Trang này sẽ có trong phiên bản sau.</source>
        <extracomment>What the pages import that is slow and never touches Qt: matplotlib&apos;s core (~0.5 s; its Qt backend and our widgets are imported on the GUI thread, since creating Qt classes on two threads at once crashes). Cleared while a log-in runs and the window is built: the preloading waits (see `preload_pages`). Pages built the first time they are shown rather than with the window: they read nothing the window needs before then, and building them took ~0.3 s of the start (DESIGN §8: a usable window in 1.5 s). Pages built once the Overview has painted its first figures (or when first used, if sooner): the window opens on the Overview, and their first reads would otherwise run beside its figures&apos; drawing.</extracomment>
        <translation>This page will come in a later version.</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <location filename="../../ui/reports/preview.py" line="+33"/>
        <source>Chọn báo cáo và kỳ báo cáo, rồi bấm «Xem trước» để xem các trang trước khi lưu.</source>
        <translation>Choose a report and its period, then press «Preview» to see the pages before saving.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Đang xem {shown} trang đầu trong tổng số {total} trang.</source>
        <translation>Showing the first {shown} of {total} pages.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Báo cáo có {total} trang.</source>
        <translation>The report has {total} pages.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nội dung báo cáo dạng chữ (bảng tính không có trang in để xem trước).</source>
        <translation>The report’s content as text (a spreadsheet has no printed pages to preview).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Bạn đã đổi lựa chọn: bấm «Xem trước» để cập nhật bản xem trước.</source>
        <translation>You changed a choice: press «Preview» to update the preview.</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+39"/>
        <source>Hồ sơ kế hoạch của tỉnh</source>
        <translation>Province plan profile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ cho biết chỉ tiêu, hạn báo cáo và nơi nhận báo cáo của tỉnh.</source>
        <translation>The profile gives the province’s targets, report deadline and the body that receives the reports.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chuẩn quốc gia — {number} (khi tỉnh chưa có kế hoạch)</source>
        <translation>National baseline — {number} (while the province has no plan)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+96"/>
        <source>{province} — Kế hoạch {number}</source>
        <translation>{province} — Plan {number}</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>{province} — từ ngày {date}</source>
        <translation>{province} — from {date}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chưa chọn (chọn sau khi tỉnh gửi hồ sơ)</source>
        <translation>Not chosen (choose once the province sends its profile)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập hồ sơ từ tệp…</source>
        <translation>Import a profile from a file…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Hồ sơ tỉnh:</source>
        <translation>Province profile:</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Chưa có hồ sơ tỉnh: phần mềm vẫn ghi vụ việc và hoạt động, nhưng chưa tính được chỉ tiêu và hạn báo cáo.</source>
        <translation>No province profile: the program still records cases and activities, but cannot compute targets or the report deadline.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Áp dụng từ ngày {date}; tỉnh chưa ban hành kế hoạch riêng cho giai đoạn này (chỉ tiêu theo kế hoạch cũ đến hết kỳ của nó, sau đó theo chuẩn quốc gia).
Nơi nhận báo cáo: {body}{unconfirmed}
Hạn báo cáo năm: ngày {day:02d}/{month:02d}</source>
        <translation>Applies from {date}; the province has not issued its own plan for this period (targets follow the old plan to its end, then the national baseline).
Receiving body: {body}{unconfirmed}
Annual report deadline: {day:02d}/{month:02d}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (chờ tỉnh xác nhận)</source>
        <translation> (awaiting the province&apos;s confirmation)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Kế hoạch {number} ngày {date}
Nơi nhận báo cáo: {body}
Hạn báo cáo năm: ngày {day:02d}/{month:02d}
Số chỉ tiêu: {targets}</source>
        <translation>Plan {number} of {date}
Reports go to: {body}
Annual report due: {day:02d}/{month:02d}
Number of targets: {targets}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chọn tệp hồ sơ tỉnh</source>
        <translation>Choose the province profile file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ tỉnh (*.toml)</source>
        <translation>Province profile (*.toml)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Đã nhập hồ sơ {province}, phiên bản {version}, từ tệp. Đơn vị sẽ giữ và dùng hồ sơ này.</source>
        <translation>Profile of {province}, version {version}, imported from the file. The node will keep and use it.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Tệp là hồ sơ {province}, phiên bản {version}, mới hơn bản có sẵn (phiên bản {shipped}). Đơn vị sẽ dùng bản có sẵn; hãy cập nhật phần mềm để dùng bản mới.</source>
        <translation>The file is the profile of {province}, version {version}, newer than the one included (version {shipped}). The node will use the included one; update the program to use the newer one.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tệp là hồ sơ {province}, phiên bản {version}; phần mềm đã có sẵn hồ sơ này (phiên bản {shipped}) và đã chọn nó.</source>
        <translation>The file is the profile of {province}, version {version}; the program already includes this profile (version {shipped}) and has chosen it.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Tệp này không phải hồ sơ tỉnh hợp lệ, hoặc không đọc được. Chi tiết: {detail}</source>
        <translation>This file is not a valid province profile, or it cannot be read. Details: {detail}</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../ui/widgets/progress.py" line="+79"/>
        <source>Đang xử lý</source>
        <extracomment>The job reports step keys (&quot;build&quot;); these are the words shown for them.</extracomment>
        <translation>Working</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Đang dừng, xin chờ giây lát…</source>
        <translation>Stopping, please wait…</translation>
    </message>
</context>
<context>
    <name>ProviderDialog</name>
    <message>
        <location filename="../../ui/registries/dialogs.py" line="+72"/>
        <source>Sửa cơ quan cung cấp dịch vụ</source>
        <translation>Edit service provider</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thêm cơ quan cung cấp dịch vụ</source>
        <translation>Add service provider</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loại cơ quan</source>
        <translation>Kind of provider</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên cơ quan</source>
        <translation>Provider name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đường dây nóng</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Là đường dây nóng</source>
        <translation>Is a hotline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>ProvidersTab</name>
    <message>
        <location filename="../../ui/registries/page.py" line="+115"/>
        <source>Tên cơ quan</source>
        <translation>Provider name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Loại cơ quan</source>
        <translation>Kind of provider</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đường dây nóng</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Chưa có cơ quan nào trong danh mục.</source>
        <translation>No provider in the registry yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+ Thêm cơ quan</source>
        <translation>+ Add provider</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sửa…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cơ quan</source>
        <translation>provider</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../ui/registries/dialogs.py" line="-201"/>
        <source>Lưu (Ctrl+S)</source>
        <extracomment>The record was saved; carries what the core stored.</extracomment>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Chưa lưu: có chỗ chưa hợp lệ, đã đánh dấu đỏ bên dưới.</source>
        <translation>Not saved: some entries are not valid; they are marked in red below.</translation>
    </message>
</context>
<context>
    <name>RecordListPage</name>
    <message>
        <location filename="../../ui/widgets/record_page.py" line="+32"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Bỏ lọc</source>
        <extracomment>Milliseconds of quiet typing before the search runs. Filled by the page: object names of its widgets ({&quot;search&quot;, &quot;count&quot;, &quot;table&quot;, &quot;open_error&quot;}). Made by each page with its filters (a page that offers a year).</extracomment>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>Đóng</source>
        <extracomment>For the main window&apos;s menu. Their shortcuts work while the page has the focus; a window that wants them everywhere sets `setShortcutContext(Qt.ShortcutContext.WindowShortcut)`.</extracomment>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>đang tải…</source>
        <translation>loading…</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../ui/accounts/recover.py" line="+55"/>
        <source>Khôi phục bằng mã khôi phục</source>
        <translation>Recover with the recovery key</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mã khôi phục nằm trên tờ khôi phục đã in khi thiết lập đơn vị (quản trị viên cất giữ). Nhập đủ các nhóm ký tự; không phân biệt chữ hoa, chữ thường, có hay không có dấu gạch ngang đều được.</source>
        <translation>The recovery key is on the recovery sheet printed when the node was set up (the administrator keeps it). Type every group; capitals or not, with or without dashes, all the same.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Mã khôi phục:</source>
        <translation>Recovery key:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mã khôi phục đúng. Chọn tài khoản cần đặt lại mật khẩu, rồi đặt mật khẩu mới cho tài khoản đó. Việc này được ghi vào nhật ký.</source>
        <translation>The recovery key is right. Choose the account whose password to reset, then set its new password. This is written in the audit log.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tài khoản:</source>
        <translation>Account:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Kiểm tra mã</source>
        <translation>Check the key</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Hãy nhập mã khôi phục.</source>
        <translation>Type the recovery key.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Đặt mật khẩu và đăng nhập</source>
        <translation>Set the password and log in</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hãy chọn tài khoản.</source>
        <translation>Choose the account.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hãy nhập mật khẩu mới hai lần.</source>
        <translation>Type the new password twice.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <location filename="../../ui/setup/recovery.py" line="+174"/>
        <source>Mã khôi phục mới</source>
        <translation>New recovery key</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mã khôi phục cũ đã hết hiệu lực. Hãy hủy tờ khôi phục cũ.</source>
        <translation>The old recovery key no longer works. Destroy the old recovery sheet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPanel</name>
    <message>
        <location line="-123"/>
        <source>Đây là mã khôi phục của đơn vị. Khi quên mật khẩu quản trị viên hoặc máy tính hỏng, chỉ mã này mở lại được dữ liệu. Mã chỉ hiện một lần này: hãy in tờ khôi phục (hoặc lưu PDF rồi in), hoặc chép tay cẩn thận, và cất ở nơi an toàn, để riêng với máy tính.</source>
        <translation>This is the node’s recovery key. If the administrator’s password is forgotten or the computer breaks, only this key opens the data again. It is shown only this once: print the recovery sheet (or save it as PDF and print that), or copy it carefully by hand, and keep it somewhere safe, away from the computer.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Lưu tờ khôi phục (PDF)…</source>
        <translation>Save the recovery sheet (PDF)…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>In tờ khôi phục…</source>
        <translation>Print the recovery sheet…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Tôi đã in hoặc lưu mã khôi phục ở nơi an toàn</source>
        <extracomment>Asks for a printer (None: cancelled); tests put a PDF printer here.</extracomment>
        <translation>I have printed or saved the recovery key somewhere safe</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Đã gửi tờ khôi phục tới máy in. Hãy lấy tờ in ngay, ký tên và cất vào phong bì dán kín.</source>
        <translation>The recovery sheet was sent to the printer. Take it at once, sign it and seal it in an envelope.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lưu tờ khôi phục</source>
        <translation>Save the recovery sheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Đã lưu tờ khôi phục vào {path}. Hãy in ra, rồi xóa tệp này khỏi máy.</source>
        <translation>Recovery sheet saved to {path}. Print it, then delete the file from this computer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Không lưu được tệp: {reason}. Hãy chọn thư mục khác.</source>
        <translation>Cannot save the file: {reason}. Choose another folder.</translation>
    </message>
</context>
<context>
    <name>RegisterTab</name>
    <message>
        <location filename="../../ui/registries/page.py" line="-267"/>
        <source>Xóa khỏi danh mục</source>
        <extracomment>How many years (up to this one) the school list shows a tick box for. A record was saved or deleted (the other pages&apos; pickers may want to know).</extracomment>
        <translation>Remove from the registry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa {what} “{name}” khỏi danh mục?</source>
        <translation>Remove the {what} “{name}” from the registry?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Các hoạt động đã gắn với bản ghi này vẫn giữ nguyên.</source>
        <translation>Activities already linked to this record stay as they are.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Xóa</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không xóa</source>
        <translation>Do not delete</translation>
    </message>
</context>
<context>
    <name>RegistriesPage</name>
    <message>
        <location line="+280"/>
        <source>Chỉ xem: vai trò của bạn không sửa được danh mục. Công chức văn hóa – xã hội hoặc quản trị viên cập nhật danh mục.</source>
        <extracomment>A register changed (saved or deleted record): pickers elsewhere may read it again.</extracomment>
        <translation>View only: your role cannot edit the registries. The cultural-social officer or the administrator keeps them up to date.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Mô hình</source>
        <translation>Model</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trường học</source>
        <translation>School</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cơ quan cung cấp dịch vụ / đường dây nóng</source>
        <translation>Service providers / hotlines</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ui/reports/page.py" line="+115"/>
        <source>Báo cáo kết quả thực hiện kế hoạch năm</source>
        <extracomment>Kinds that print one case or one person&apos;s data (officer only, marked restricted sensitive personal data). The file name offered when saving, before the period and the extension. The format combo&apos;s entry for a report that has both: the PDF and the Excel file side by side, from one build. How a word that names or reaches a person is marked in a written part: dark text on amber, underlined in red (seen without colour too), until the part is edited.</extracomment>
        <translation>Annual report on the plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thống kê vụ việc (Excel)</source>
        <translation>Case statistics (Excel)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tổng hợp hoạt động</source>
        <translation>Activity summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sổ đăng ký vụ việc (đã ẩn danh)</source>
        <translation>Case register (de-identified)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hồ sơ một vụ việc (hạn chế tiếp cận)</source>
        <translation>One case file (restricted)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thông tin đang lưu về một người (hạn chế tiếp cận)</source>
        <translation>What is held about one person (restricted)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cả năm</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>6 tháng đầu năm</source>
        <translation>First half of the year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>6 tháng cuối năm</source>
        <translation>Second half of the year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quý I</source>
        <translation>Quarter I</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quý II</source>
        <translation>Quarter II</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quý III</source>
        <translation>Quarter III</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quý IV</source>
        <translation>Quarter IV</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tệp này có thông tin nhận dạng, được đánh dấu «Hạn chế tiếp cận – dữ liệu cá nhân nhạy cảm» và chỉ dành cho cán bộ phụ trách. Mỗi lần in được ghi vào nhật ký. Không gửi tệp qua thư điện tử hay mạng xã hội; cất bản in ở nơi có khóa.</source>
        <translation>This file holds identities; it is marked «Restricted – sensitive personal data» and meant only for the officer in charge. Every printing is recorded in the audit log. Do not send the file by e-mail or social media; keep the printout under lock.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Chọn báo cáo</source>
        <translation>Choose a report</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Báo cáo:</source>
        <translation>Report:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Năm:</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kỳ báo cáo:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Định dạng:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Lưu phần tự viết</source>
        <translation>Save the written parts</translation>
    </message>
    <message>
        <location line="+219"/>
        <source>Nơi nhận chính (theo hồ sơ tỉnh): {body}</source>
        <translation>Main recipient (from the province profile): {body}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có hồ sơ tỉnh: hãy ghi nơi nhận vào ô «Nơi nhận (thêm)».</source>
        <translation>No province profile: write the recipients in the «Other recipients» box.</translation>
    </message>
    <message>
        <location line="-194"/>
        <source>Mỗi dòng một nơi nhận</source>
        <translation>One recipient per line</translation>
    </message>
    <message>
        <location line="-114"/>
        <source>Thông tin về phòng, chống bạo lực gia đình (ngành văn hóa)</source>
        <translation>Domestic-violence statistics (culture sector)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dữ liệu vụ việc (hạn chế tiếp cận, Excel)</source>
        <translation>Case data (restricted, Excel)</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Bảng theo xã: gộp theo xã mới (2025)</source>
        <translation>Tables by commune: by new commune (2025)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không chọn: mỗi xã cũ một dòng, như khi ghi số liệu. Chọn: số liệu các xã cũ được cộng vào xã mới mà chúng hợp thành (theo việc gộp đơn vị và danh mục xã của tỉnh).</source>
        <translation>Unchecked: one row for each former commune, as the records were kept. Checked: the former communes&apos; figures are added up into the new commune they make up (by the node merges and the province&apos;s commune list).</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Lưu tiêu đề và chữ ký</source>
        <translation>Save heading and signature</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Phần tự viết</source>
        <translation>Written parts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiêu đề, chữ ký</source>
        <translation>Heading, signature</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lưu báo cáo…</source>
        <translation>Save report…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mở tệp</source>
        <translation>Open file</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hoàn tất báo cáo năm…</source>
        <translation>Finalise the annual report…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kiểm tra phần tự viết, lập báo cáo năm, lưu lại và gửi lên cấp trên trong gói tiếp theo. Chỉ hoàn tất cho cả năm.</source>
        <translation>Checks the written parts, builds the annual report, keeps it and sends it to the parent in the next package. For the whole year only.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>PDF (để in, gửi)</source>
        <translation>PDF (to print or send)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel (.xlsx)</source>
        <translation>Excel (.xlsx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Word (.docx, để sửa trước khi ký)</source>
        <translation>Word (.docx, to edit before signing)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF và Excel</source>
        <translation>PDF and Excel</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Mã vụ việc:</source>
        <translation>Case code:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ví dụ TN01-2025-00012</source>
        <translation>for example TN01-2025-00012</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Các vụ việc của người đó:</source>
        <translation>The person’s cases:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mã vụ việc, cách nhau bằng dấu phẩy</source>
        <translation>case codes, separated by commas</translation>
    </message>
    <message>
        <location line="+46"/>
        <location line="+34"/>
        <source>Có thay đổi chưa lưu</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Phần do cán bộ viết cho báo cáo {period}; được lưu riêng cho từng kỳ.</source>
        <translation>The parts written by the officer for the {period} report; kept separately for each period.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Đã lưu</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Đã lưu tiêu đề, nơi nhận và chữ ký.</source>
        <translation>Heading, recipients and signature saved.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đang tính số liệu từ cơ sở dữ liệu…</source>
        <translation>Computing the figures from the database…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đang dựng các trang…</source>
        <translation>Laying out the pages…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Hãy nhập mã vụ việc cần in.</source>
        <translation>Enter the code of the case to print.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hồ sơ vụ việc chỉ in cho một vụ việc: hãy nhập đúng một mã.</source>
        <translation>A case file is printed for one case only: enter exactly one code.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đang chuẩn bị bản xem trước…</source>
        <translation>Preparing the preview…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Đã dừng xem trước.</source>
        <translation>Preview stopped.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Không tìm thấy vụ việc mã {codes} (hoặc bạn không được xem). Hãy kiểm tra lại mã.</source>
        <translation>No case with code {codes} found (or you may not see it). Check the code.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bảng tính Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản Word (*.docx)</source>
        <translation>Word document (*.docx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+25"/>
        <source>Lưu báo cáo</source>
        <translation>Save report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thư mục này đã có tệp {name}. Thay bằng tệp mới?</source>
        <translation>This folder already has a file {name}. Replace it with the new one?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp Excel được lưu cạnh tệp PDF, cùng tên.</source>
        <translation>The Excel file is saved beside the PDF, under the same name.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thay tệp</source>
        <translation>Replace the file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không lưu</source>
        <translation>Do not save</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đang lập báo cáo, xin chờ…</source>
        <translation>Making the report, please wait…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Đã lưu báo cáo vào hai tệp: {first} và {second}</source>
        <translation>Report saved as two files: {first} and {second}</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Hoàn tất báo cáo năm</source>
        <translation>Finalise the annual report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoàn tất và gửi báo cáo năm {year}?</source>
        <translation>Finalise and send the {year} annual report?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phần tự viết được kiểm tra: không được có tên, địa chỉ, số điện thoại hay số giấy tờ của ai. Báo cáo được lập từ số liệu hiện có, lưu lại và gửi lên cấp trên trong gói tiếp theo; hoàn tất lại thì bản mới thay bản cũ.</source>
        <translation>The written parts are checked: they may not hold anyone&apos;s name, address, phone or ID number. The report is built from the data held now, kept, and sent to the parent in the next package; finalising again replaces it with the new version.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hoàn tất</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chưa</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đang lập và hoàn tất báo cáo năm {year}…</source>
        <translation>Building and finalising the {year} annual report…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Đã hoàn tất báo cáo năm {year}; báo cáo sẽ đi trong gói gửi lên tiếp theo.</source>
        <translation>The {year} annual report is finalised; it goes up in the next package.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bản này thay bản hoàn tất trước (lần {rev}).</source>
        <translation>It replaces the earlier version (version {rev}).</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Cần bỏ: {words}</source>
        <translation>To remove: {words}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Đã hủy. Báo cáo chưa được lưu, không có tệp nào được ghi.</source>
        <translation>Cancelled. The report was not saved and no file was written.</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>Không ghi được tệp vào {folder}. Hãy chọn nơi lưu khác (ổ đĩa có thể đầy hoặc chỉ cho đọc).</source>
        <translation>Cannot write a file in {folder}. Choose another place (the disk may be full or read-only).</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>Máy này không dựng được trang PDF để xem trước, nên chỉ xem được nội dung dạng chữ.</source>
        <translation>This computer cannot draw the PDF&apos;s pages for the preview, so only the text content can be shown.</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Đã lưu báo cáo vào {path}</source>
        <translation>Report saved to {path}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Không còn tệp {path}: có thể đã bị xóa hoặc chuyển đi.</source>
        <translation>The file {path} is gone: it may have been deleted or moved.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Máy này không có chương trình mở được tệp này. Tệp ở: {path}</source>
        <translation>This computer has no program that opens this file. The file is at: {path}</translation>
    </message>
</context>
<context>
    <name>RiskAnswers</name>
    <message>
        <location filename="../../ui/cases/form_widgets.py" line="+391"/>
        <source>Trả lời «Có» ở câu này: nguy cơ cao.</source>
        <translation>A «Yes» to this question: high risk.</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../ui/accounts/dialogs.py" line="-75"/>
        <source>Đổi vai trò</source>
        <translation>Change role</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tài khoản: {user} ({name})</source>
        <translation>Account: {user} ({name})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vai trò quyết định người này xem và làm được gì; có hiệu lực từ lần đăng nhập tới.</source>
        <translation>The role decides what this person can see and do; it applies from their next log-in.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>SchoolDialog</name>
    <message>
        <location filename="../../ui/registries/dialogs.py" line="+92"/>
        <source>Sửa trường</source>
        <translation>Edit school</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thêm trường</source>
        <translation>Add school</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên trường</source>
        <translation>School name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp học</source>
        <translation>School level</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>SchoolsTab</name>
    <message>
        <location filename="../../ui/registries/page.py" line="-174"/>
        <source>Tên trường</source>
        <translation>School name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cấp học</source>
        <translation>School level</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tính vào chỉ tiêu</source>
        <translation>Counts towards the target</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chưa có trường nào trong danh mục.</source>
        <translation>No school in the registry yet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đánh dấu năm trường đã lồng ghép tuyên truyền về phòng ngừa, ứng phó với bạo lực trên cơ sở giới, bạo lực học đường (kể cả khi trường tự tổ chức). Hoạt động truyền thông ghi gắn với trường cũng được tính. Cột “Tính vào chỉ tiêu” cho biết cấp học có thuộc chỉ tiêu của tỉnh hay không.</source>
        <translation>Tick the years in which the school integrated communication on preventing and responding to gender-based violence and school violence (including when the school organised it itself). Communication activities recorded against the school count too. The column “Counts towards the target” says whether the school level is part of the province’s target.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>+ Thêm trường</source>
        <translation>+ Add school</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Năm {year}: đã lồng ghép tuyên truyền</source>
        <translation>Year {year}: communication integrated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Năm {year}: chưa lồng ghép</source>
        <translation>Year {year}: not integrated</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>trường</source>
        <translation>schools</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <location filename="../../ui/app.py" line="+236"/>
        <source>Không lưu được ảnh chụp màn hình vào {path}.</source>
        <extracomment>Families tried in order; the first installed one that covers Vietnamese is used. glibc&apos;s M_ARENA_MAX (malloc.h); how many malloc arenas the window&apos;s threads share.</extracomment>
        <translation>Cannot save the screenshot to {path}.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/settings/page.py" line="+47"/>
        <source>Đổi ngôn ngữ có hiệu lực ngay: cửa sổ được dựng lại (hãy lưu những gì đang nhập dở trước). Lựa chọn được nhớ cho những lần mở sau trên máy này.</source>
        <extracomment>The person chose another language (&quot;vi&quot; or &quot;en&quot;); the window applies it. The idle-lock time changed (minutes). The person chose another text size (percent); the window applies and remembers it.</extracomment>
        <translation>A new language takes effect at once: the window is rebuilt (save anything you are typing first). The choice is remembered for the next times on this computer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ngôn ngữ hiển thị:</source>
        <translation>Display language:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Khi không ai dùng bàn phím hay chuột trong thời gian này, cửa sổ tự khóa và ẩn dữ liệu. Khóa ngay bất cứ lúc nào: Ctrl+L.</source>
        <translation>When nobody uses the keyboard or mouse for this long, the window locks itself and hides the data. Lock at any time: Ctrl+L.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tự động khóa</source>
        <translation>Automatic lock</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Khóa sau khi không dùng:</source>
        <translation>Lock after no use for:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ quản trị viên được thay đổi thời gian này.</source>
        <translation>Only the administrator may change this time.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tài khoản</source>
        <translation>Account</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vai trò:</source>
        <translation>Role:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đổi mật khẩu của bạn</source>
        <translation>Change your password</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đổi mật khẩu</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mật khẩu hiện tại:</source>
        <translation>Current password:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cách mở khóa dữ liệu</source>
        <translation>Ways to unlock the data</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mật khẩu của từng người dùng</source>
        <translation>Each user’s password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có mật khẩu nào.</source>
        <translation>No password yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã khôi phục (tờ in cất trong tủ)</source>
        <translation>Recovery key (the printed sheet kept under lock)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có mã khôi phục: quản trị viên hãy tạo ngay.</source>
        <translation>No recovery key: the administrator should make one now.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kho khóa của hệ điều hành (sao lưu tự động khi chưa ai đăng nhập)</source>
        <translation>Operating system keyring (automatic backups while nobody is logged in)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy này không có kho khóa của hệ điều hành: chỉ mật khẩu và mã khôi phục mở được dữ liệu.</source>
        <translation>This computer has no operating system keyring: only passwords and the recovery key open the data.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Mật khẩu của từng người dùng ({count} tài khoản)</source>
        <translation>
            <numerusform>Each user&apos;s password ({count} account)</numerusform>
            <numerusform>Each user&apos;s password ({count} accounts)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dữ liệu được mã hóa; những cách dưới đây mở được nó. Trang này không hiện bí mật nào (mật khẩu, mã khôi phục không được lưu ở dạng đọc được).</source>
        <translation>The data is encrypted; these are the ways that open it. No secret is shown here (passwords and the recovery key are never kept readable).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Thay mã khôi phục và in tờ mới…</source>
        <translation>Replace the recovery key and print a new sheet…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Đã lưu: cửa sổ sẽ khóa sau {minutes} phút không dùng.</source>
        <translation>Saved: the window locks after {minutes} minutes without use.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Đã đổi mật khẩu. Từ lần đăng nhập tới, hãy dùng mật khẩu mới.</source>
        <translation>Password changed. Use the new one from your next log-in.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Tạo mã khôi phục mới</source>
        <translation>Make a new recovery key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã khôi phục hiện nay sẽ hết hiệu lực ngay. Bạn có chắc muốn tạo mã mới?</source>
        <translation>The current recovery key will stop working at once. Do you really want a new one?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã mới chỉ hiện một lần: hãy chuẩn bị in hoặc lưu tờ khôi phục.</source>
        <translation>The new key is shown only once: be ready to print or save the recovery sheet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tạo mã mới</source>
        <translation>Make a new key</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+184"/>
        <source>Thiết lập {app}</source>
        <extracomment>Emitted once the node exists (before the key is confirmed).</extracomment>
        <translation>{app} set-up</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt; Quay lại</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiếp &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tạo đơn vị</source>
        <translation>Create the node</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoàn tất</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Chưa tạo được đơn vị. Hãy quay lại và sửa:</source>
        <translation>The node was not created. Go back and correct:</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <location filename="../../ui/registries/dialogs.py" line="-38"/>
        <source>Đổi tình trạng: {name}</source>
        <translation>Change status: {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hiện nay: {status} (từ {day})</source>
        <translation>Now: {status} (since {day})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hiện nay: {status}</source>
        <translation>Now: {status}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tình trạng mới</source>
        <translation>New status</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Từ ngày (dd/mm/yyyy)</source>
        <translation>From (dd/mm/yyyy)</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../ui/sync/fingerprint.py" line="-64"/>
        <source>điểm</source>
        <translation>point</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>xã</source>
        <translation>commune</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>huyện</source>
        <translation>district</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>tỉnh</source>
        <translation>province</translation>
    </message>
    <message>
        <location filename="../../ui/sync/page.py" line="+63"/>
        <source>Gửi lên cấp trên</source>
        <extracomment>Something changed what waits to be sent or what is confirmed (the window recounts its status bar).</extracomment>
        <translation>Send to the level above</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cấp dưới gửi lên</source>
        <translation>Sent from below</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đã dừng. Không có gì thay đổi.</source>
        <translation>Stopped. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Không đọc/ghi được tệp hoặc thư mục {where}. Hãy kiểm tra ổ USB còn cắm, còn chỗ trống và không bị khóa ghi, rồi thử lại.</source>
        <translation>Cannot read or write the file or folder {where}. Check that the USB drive is still plugged in, has free space and is not write-protected, then try again.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đã lưu cài đặt thư điện tử và máy chủ.</source>
        <translation>Mail and server settings saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang lưu cài đặt…</source>
        <translation>Saving the settings…</translation>
    </message>
</context>
<context>
    <name>TargetCard</name>
    <message>
        <location filename="../../ui/overview/page.py" line="-645"/>
        <source>Mục tiêu: {goal}</source>
        <extracomment>kind -&gt; (activities, participants), kinds with at least one activity at a province or district: the key figures by commune (`app.reports.communes`), else None what is due or overdue for the person logged in (`CaseService.due`), high risk first</extracomment>
        <translation>Target: {goal}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chỉ tiêu này chưa tính được từ dữ liệu.</source>
        <translation>This target cannot be computed from the data yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{numerator} / {denominator} {unit}</source>
        <translation>{numerator} / {denominator} {unit}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(tử số / mẫu số)</source>
        <translation>(numerator / denominator)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+101"/>
        <source>Cách tính ▸</source>
        <translation>How it is counted ▸</translation>
    </message>
    <message>
        <location line="-94"/>
        <source>Trong đó mọi nhu cầu đều được đáp ứng: {every} / {denominator} vụ việc.</source>
        <translation>Of which every need met: {every} / {denominator} cases.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>{quarter}: chưa có số liệu</source>
        <translation>{quarter}: no data yet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{quarter}: {value} ({numerator} / {denominator})</source>
        <translation>{quarter}: {value} ({numerator} / {denominator})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mục tiêu {goal}</source>
        <translation>Target {goal}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chưa có số liệu</source>
        <translation>no data yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>đạt mục tiêu</source>
        <translation>target met</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>chưa đạt</source>
        <translation>not met</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Theo quý năm {year}</source>
        <translation>By quarter, {year}</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>{status} — kỳ chưa kết thúc</source>
        <translation>{status} — period not over</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{status} — kỳ đã kết thúc</source>
        <translation>{status} — period over</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cách tính ▾</source>
        <translation>How it is counted ▾</translation>
    </message>
</context>
<context>
    <name>TextSizeBox</name>
    <message>
        <location filename="../../ui/widgets/text_size_box.py" line="+20"/>
        <source>Cỡ chữ</source>
        <extracomment>The person chose a size (percent); the window applies and remembers it.</extracomment>
        <translation>Text size</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chữ trong mọi cửa sổ to hơn theo tỉ lệ này (cộng thêm tỉ lệ hiển thị của hệ điều hành). Được nhớ riêng cho từng người dùng. Phím tắt: Ctrl+= và Ctrl+-.</source>
        <translation>Text in every window is scaled by this much (on top of the operating system&apos;s display scaling). Remembered for each user. Shortcuts: Ctrl+= and Ctrl+-.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cỡ chữ:</source>
        <translation>Text size:</translation>
    </message>
</context>
<context>
    <name>UpstreamPanel</name>
    <message>
        <location filename="../../ui/sync/upstream.py" line="+50"/>
        <location line="+192"/>
        <source>Nhập hồ sơ tỉnh…</source>
        <translation>Import province profile…</translation>
    </message>
    <message>
        <location line="-189"/>
        <source>Xuất tệp đăng ký…</source>
        <translation>Export registration file…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cấp trên</source>
        <translation>Level above</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tìm lại ổ USB</source>
        <translation>Look for USB drives again</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tạo gói gửi lên</source>
        <translation>Make the package to send up</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nhập biên nhận / gói từ cấp trên…</source>
        <translation>Import receipt / package from above…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gửi qua thư điện tử</source>
        <translation>Send by e-mail</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gửi qua mạng</source>
        <translation>Send over the network</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhận thư từ cấp trên</source>
        <translation>Fetch mail from the parent</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+200"/>
        <source>Đọc hộp thư: biên nhận và gói xuống của cấp trên gửi bằng thư.</source>
        <translation>Read the mailbox: receipts and down-packages the parent sent by e-mail.</translation>
    </message>
    <message>
        <location line="-198"/>
        <source>Cài đặt thư và mạng…</source>
        <translation>Mail and network settings…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gửi dữ liệu lên</source>
        <translation>Send data up</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ghi gói vào:</source>
        <translation>Write the package to:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Khi có mạng:</source>
        <translation>When online:</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Đã tạo, chưa gửi</source>
        <translation>Made, not sent</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+25"/>
        <source>Đã gửi</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+26"/>
        <source>Cấp trên đã nhận</source>
        <translation>Received above</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đã xác nhận</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>USB/thư mục</source>
        <translation>USB/folder</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thư điện tử</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mạng</source>
        <translation>Network</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>số {first}–{last}</source>
        <translation>numbers {first}–{last}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>phần {part}/{parts}</source>
        <translation>part {part}/{parts}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Gói</source>
        <translation>Package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản ghi</source>
        <translation>Records</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tạo lúc</source>
        <translation>Made at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gửi lúc</source>
        <translation>Sent at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp trên nhận</source>
        <translation>Received above</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xác nhận</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location line="-40"/>
        <location line="+41"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Hoàn tất và gửi báo cáo năm…</source>
        <translation>Finalise and send the annual report…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lập báo cáo năm đã chọn (số liệu và bản PDF), lưu lại và gửi lên cấp trên trong gói tiếp theo. Hoàn tất lại một năm thì bản mới thay bản trước.</source>
        <translation>Builds the chosen year&apos;s annual report (figures and PDF), keeps it and sends it to the parent in the next package. Finalising a year again replaces the earlier version.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chờ gửi trong gói tiếp theo</source>
        <translation>Waiting for the next package</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đã tạo gói, chưa gửi</source>
        <translation>Package built, not sent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cấp trên đã xác nhận</source>
        <translation>Confirmed by the parent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoàn tất ngày</source>
        <translation>Finalised on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lần hoàn tất</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Báo cáo năm gửi cấp trên</source>
        <translation>Annual report to the parent</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Năm báo cáo:</source>
        <translation>Report year:</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Gửi qua</source>
        <translation>Sent by</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Các gói đã tạo</source>
        <translation>Packages made</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Đang chờ hồ sơ tỉnh: xin cán bộ phụ trách ở tỉnh tệp hồ sơ (.profile.binhan, qua USB hoặc thư điện tử) rồi bấm «Nhập hồ sơ tỉnh…»; trong lúc chờ, vẫn ghi vụ việc, hoạt động và lập báo cáo bình thường.</source>
        <translation>Waiting for the province profile: ask the province&apos;s programme officer for the profile file (.profile.binhan, on a USB drive or by e-mail), then press «Import province profile…»; meanwhile, record cases and activities and make reports as usual.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang chờ cấp trên chấp nhận đăng ký: bấm «Xuất tệp đăng ký…», gửi tệp cho cấp trên và đọc mã đối chiếu của đơn vị cho họ qua điện thoại, rồi bấm «Tạo gói gửi lên»; biên nhận đầu tiên của cấp trên cho biết đã được chấp nhận.</source>
        <translation>Waiting for the level above to accept the registration: press «Export registration file…», send the file to the level above and read them this node&apos;s fingerprint by phone, then press «Make the package to send up»; the first receipt from above shows it was accepted.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang chờ biên nhận của cấp trên cho {count} bản ghi đã gửi: khi nhận được tệp biên nhận (USB, thư điện tử), bấm «Nhập biên nhận / gói từ cấp trên…».</source>
        <translation>Waiting for the receipt from above for {count} records sent: when the receipt file arrives (USB drive, e-mail), press «Import receipt / package from above…».</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Có {count} thay đổi chưa gửi: bấm «Tạo gói gửi lên» rồi đưa gói lên cấp trên (USB, thư điện tử hoặc mạng).</source>
        <translation>{count} changes not sent yet: press «Make the package to send up» and take the package to the level above (USB drive, e-mail or network).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không chờ gì: mọi thay đổi đã được cấp trên xác nhận.</source>
        <translation>Nothing to wait for: the level above has confirmed every change.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chưa nhận hồ sơ tỉnh</source>
        <translation>No province profile received yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhận tệp hồ sơ (.profile.binhan) từ cán bộ cấp trên, bấm «Nhập hồ sơ tỉnh…», rồi xuất tệp đăng ký gửi lại cho họ.</source>
        <translation>Get the profile file (.profile.binhan) from the officer above, press «Import province profile…», then export the registration file and send it back to them.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gửi dữ liệu lên: {name} (mã {code})</source>
        <translation>Sending data up to: {name} (code {code})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mã đối chiếu của cấp trên: {fingerprint}</source>
        <translation>Fingerprint of the level above: {fingerprint}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhập hồ sơ mới của cấp trên…</source>
        <translation>Import a new profile from above…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã đối chiếu của đơn vị này: {fingerprint}</source>
        <translation>Fingerprint of this node: {fingerprint}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Thay đổi chờ gửi: {unsent} bản ghi. Chỉ gửi được khi đã có cấp trên.</source>
        <translation>Changes waiting to be sent: {unsent} records. They can be sent once there is a level above.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thay đổi chưa gửi: {unsent} bản ghi · Đã gửi, chờ biên nhận: {waiting} bản ghi</source>
        <translation>Changes not sent: {unsent} records · Sent, waiting for a receipt: {waiting} records</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Biên nhận gần nhất: {time}</source>
        <translation>Last receipt: {time}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cấp trên để riêng {count} bản ghi: {reasons}. Sửa các bản ghi đó (hoặc chờ danh mục mới của cấp trên); chúng sẽ được gửi lại.</source>
        <translation>The parent kept aside {count} records: {reasons}. Correct those records (or wait for the parent&apos;s new option lists); they will be sent again.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ổ USB {label} ({path})</source>
        <translation>USB drive {label} ({path})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chọn thư mục…</source>
        <translation>Choose a folder…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Chưa cài đặt: bấm «Cài đặt thư và mạng…».</source>
        <translation>Not set up: click “Mail and network settings…”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vai trò của bạn chỉ xem được tình trạng; việc gửi và nhận do cán bộ phụ trách làm.</source>
        <translation>Your role can only see the status; sending and receiving are done by the officer in charge.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chọn tệp hồ sơ của cấp trên</source>
        <translation>Choose the profile file from above</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ tỉnh (*.profile.binhan);;Tất cả tệp (*)</source>
        <translation>Province profile (*.profile.binhan);;All files (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã nhận hồ sơ của {name} (mã {code}). Mã đối chiếu của cấp trên: {fingerprint}. Hãy gọi điện cho cán bộ cấp trên để đối chiếu mã này.</source>
        <translation>Profile of {name} (code {code}) received. Fingerprint of the level above: {fingerprint}. Phone the officer above to compare this fingerprint.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bước tiếp theo: bấm «Xuất tệp đăng ký…» và gửi tệp đó lên cấp trên.</source>
        <translation>Next step: press «Export registration file…» and send that file to the level above.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cấp trên đã đổi khóa.</source>
        <translation>The level above has changed its keys.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang đọc hồ sơ của cấp trên…</source>
        <translation>Reading the profile from above…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu tệp đăng ký</source>
        <translation>Save the registration file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp đăng ký (*.registration.binhan)</source>
        <translation>Registration file (*.registration.binhan)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đã lưu tệp đăng ký {path}. Gửi tệp này cho {parent}. Khi cán bộ cấp trên gọi điện, đọc cho họ mã đối chiếu của đơn vị này: {fingerprint}</source>
        <translation>Registration file saved as {path}. Send it to {parent}. When the officer above phones you, read them this node’s fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang lập tệp đăng ký…</source>
        <translation>Making the registration file…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chọn thư mục hoặc ổ USB để ghi gói</source>
        <translation>Choose a folder or USB drive for the package</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang gom các thay đổi, mã hóa và ký gói…</source>
        <translation>Gathering the changes, encrypting and signing the package…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đang ghi tệp…</source>
        <translation>Writing the file…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đã dừng: đã ghi {written}/{parts} tệp vào {folder}. Những gì chưa ghi sẽ đi trong gói sau.</source>
        <translation>Stopped: {written}/{parts} files written to {folder}. What was not written goes in the next package.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không có thay đổi nào chưa được cấp trên xác nhận, nên không tạo gói.</source>
        <translation>There is nothing the parent has not confirmed, so no package was built.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã ghi {files} tệp gói ({records} bản ghi) vào {folder}. Mang tệp lên cấp trên; khi có biên nhận, bấm «Nhập biên nhận / gói từ cấp trên…».</source>
        <translation>Wrote {files} package files ({records} records) to {folder}. Take them to the level above; when the receipt comes back, press «Import receipt / package from above…».</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang tạo gói gửi lên…</source>
        <translation>Making the package to send up…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã gửi {files} tệp gói ({records} bản ghi) tới {to} qua {messages} thư. Khi cấp trên nhập xong, biên nhận sẽ về hộp thư: bấm «Nhận thư từ cấp trên».</source>
        <translation>Sent {files} package file(s) ({records} records) to {to} in {messages} message(s). When the parent has imported them, the receipt arrives by mail: click “Fetch mail from the parent”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang gửi gói qua thư điện tử…</source>
        <translation>Sending the package by e-mail…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang gom thay đổi, mã hóa, ký và gửi thư…</source>
        <translation>Gathering changes, encrypting, signing and mailing…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã gửi {files} tệp gói ({records} bản ghi) lên máy chủ của cấp trên.</source>
        <translation>Sent {files} package file(s) ({records} records) to the parent&apos;s server.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <source>Gói xuống</source>
        <translation>Down-package</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Đang gửi gói qua mạng…</source>
        <translation>Sending the package over the network…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang gửi gói và nhận biên nhận của cấp trên…</source>
        <translation>Sending the package and taking the parent&apos;s receipt…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Không có thư mới của cấp trên.</source>
        <translation>No new mail from the parent.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang đọc hộp thư…</source>
        <translation>Reading the mailbox…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang tải thư và kiểm tra từng tệp…</source>
        <translation>Downloading messages and checking each file…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Hoàn tất báo cáo năm</source>
        <translation>Finalise the annual report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoàn tất và gửi báo cáo năm {year}?</source>
        <translation>Finalise and send the {year} annual report?</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Đã cập nhật {count} danh mục: {lists}.</source>
        <translation>{count} option lists updated: {lists}.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Mã {old} cấp trên đã dùng cho vụ việc khác (máy đã khôi phục bản sao lưu cũ): vụ việc này nay mang mã {new}.</source>
        <translation>Code {old} is another case&apos;s at the parent (an old backup was restored here): this case is now {new}.</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>Báo cáo được lập từ số liệu hiện có (như bản PDF ở trang Báo cáo), lưu lại và gửi lên cấp trên trong gói tiếp theo. Hãy xem trước và viết xong các phần lời ở trang Báo cáo.</source>
        <translation>The report is built from the data as it stands (like the PDF on the Reports page), kept, and sent to the parent in the next package. Preview it and finish its written parts on the Reports page first.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Năm này đã hoàn tất ngày {day}: bản mới sẽ thay bản đó ở cấp trên.</source>
        <translation>This year was finalised on {day}: the new version will replace it at the parent.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Hoàn tất</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chưa</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đã hoàn tất báo cáo năm {year}.</source>
        <translation>The {year} annual report is finalised.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bản này thay bản hoàn tất trước (lần {rev}).</source>
        <translation>It replaces the earlier version (version {rev}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Báo cáo sẽ đi trong gói gửi lên tiếp theo: bấm «Tạo gói gửi lên».</source>
        <translation>It goes up in the next package: click “Make the package to send up”.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Báo cáo sẽ được gửi khi đơn vị đã đăng ký với cấp trên.</source>
        <translation>It will be sent once this unit is registered with its parent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đang lập và hoàn tất báo cáo năm {year}…</source>
        <translation>Building and finalising the {year} annual report…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chọn gói xuống, biên nhận hoặc hồ sơ của cấp trên</source>
        <translation>Choose a down-package, receipt or profile from above</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp của cấp trên (*{down} *{receipt} *{profile});;Tất cả tệp (*)</source>
        <translation>Files from above (*{down} *{receipt} *{profile});;All files (*)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đã dừng trước khi nhập hết các tệp.</source>
        <translation>Stopped before importing all the files.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang nhập tệp của cấp trên…</source>
        <translation>Importing the files from above…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{file}: đã cập nhật hồ sơ của {name}.</source>
        <translation>{file}: profile of {name} updated.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{file}: gói xuống số {number} đã nhập từ trước, không thay đổi gì.</source>
        <translation>{file}: down-package number {number} was imported before; nothing changed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{file}: gói xuống số {number} cũ hơn gói đã nhập nên bỏ qua (gói mới hơn đã mang đủ nội dung).</source>
        <translation>{file}: down-package number {number} is older than one already imported, so it was skipped (the newer one carried everything).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file}: đã nhận gói xuống số {number} của cấp trên.</source>
        <translation>{file}: down-package number {number} from above received.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hồ sơ tỉnh đã cập nhật phiên bản mới; thay đổi: {changed}.</source>
        <translation>The province profile was updated to a new version; changed: {changed}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hồ sơ tỉnh (chỉ tiêu, hạn báo cáo) đã cập nhật.</source>
        <translation>The province profile (targets, report deadline) has been updated.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cấp trên đã đổi khóa: hãy nhập tệp hồ sơ mới của cấp trên và gọi điện so khớp mã đối chiếu.</source>
        <translation>The parent&apos;s keys changed: import the parent&apos;s new profile file and phone them to compare the fingerprint.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Biên nhận trong gói không dùng được; dữ liệu chưa xác nhận sẽ được gửi lại trong gói sau.</source>
        <translation>The receipt in the package cannot be used; data not yet confirmed will be sent again in the next package.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>mã danh mục cấp trên chưa có</source>
        <translation>a code the parent&apos;s lists do not have yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dữ liệu sai dạng</source>
        <translation>malformed data</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>dữ liệu không hợp lệ</source>
        <translation>data not valid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>trường lạ</source>
        <translation>an unknown field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>đơn vị chưa được xác nhận</source>
        <translation>a node not vouched for</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phiên bản dữ liệu mới hơn</source>
        <translation>a newer data version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phiên bản dữ liệu không rõ</source>
        <translation>an unknown data version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mã vụ việc trùng</source>
        <translation>a case code already taken</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>mã bản ghi trùng</source>
        <translation>a record id already taken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason} ({count})</source>
        <translation>{reason} ({count})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cấp trên đã xác nhận đến thay đổi số {mark}.</source>
        <translation>The level above has confirmed up to change number {mark}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cấp trên để riêng {count} bản ghi chưa nhập được (xem lại mã danh mục).</source>
        <translation>The level above kept aside {count} records it could not import (check the option-list codes).</translation>
    </message>
</context>
<context>
    <name>WiresDialog</name>
    <message>
        <location filename="../../ui/sync/wires.py" line="+69"/>
        <source>Cài đặt thư điện tử và máy chủ</source>
        <extracomment>The person pressed Save: the page saves on the worker, then calls `saved()` or `show_error(text)`.</extracomment>
        <translation>Mail and server settings</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>để trống: giữ mật khẩu đã lưu</source>
        <translation>leave empty to keep the saved password</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gói luôn được mã hóa và ký trước khi rời máy, nên gửi qua thư hay qua mạng cũng an toàn như USB. Mật khẩu thư được giữ trong kho khóa của hệ điều hành, không ghi vào dữ liệu.</source>
        <translation>Packages are always encrypted and signed before they leave this computer, so sending by e-mail or over the network is as safe as by USB. Mail passwords are kept in the operating system&apos;s keyring, never in the data.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Gửi thư (SMTP)</source>
        <translation>Sending mail (SMTP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ gửi thư:</source>
        <translation>Outgoing mail server:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+17"/>
        <source>Cổng:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>Bảo mật:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Địa chỉ thư của đơn vị:</source>
        <translation>This unit&apos;s e-mail address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hộp thư nhận gói của cấp trên:</source>
        <translation>The parent&apos;s package mailbox:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nhận thư (IMAP)</source>
        <translation>Receiving mail (IMAP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ nhận thư:</source>
        <translation>Incoming mail server:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Thư mục:</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gửi qua mạng</source>
        <translation>Send over the network</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Địa chỉ máy chủ của cấp trên:</source>
        <translation>The parent&apos;s server address:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>mặc định</source>
        <translation>default</translation>
    </message>
</context>
<context>
    <name>YesNoCombo</name>
    <message>
        <location filename="../../ui/cases/form_widgets.py" line="-261"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>— không rõ —</source>
        <translation>— unknown —</translation>
    </message>
</context>
</TS>
