"""Demo content for seed_demo: five real courses in Vietnamese, news and the home page.

Each final quiz draws 5 questions per attempt from a bank at least three times that size:
the first questions are written here, the rest of each bank is in `cms.demo.banks`; the
digital-transformation course is in `cms.demo.digital`.
"""

from . import banks
from .digital import DIGITAL_TRANSFORMATION

HOME = {
    "title": "Học Số",
    "hero_title": "Học kỹ năng số – gần dân, dễ học, có chứng chỉ",
    "hero_text": (
        "Khoá học ngắn, miễn phí, học ngay trên điện thoại: từ dùng Zalo, "
        "làm dịch vụ công đến bán hàng qua mạng và tiếng Jrai cho cán bộ. "
        "Học xong, làm bài kiểm tra và nhận chứng chỉ có mã QR."
    ),
    "body": (
        "<p>Học Số dành cho cán bộ, công chức cấp xã, trưởng thôn, người có "
        "uy tín, thanh niên và hộ kinh doanh ở vùng đồng bào dân tộc thiểu "
        "số và miền núi. Mỗi bài học ngắn, viết bằng lời dễ hiểu, có ví dụ "
        "gần với đời sống ở thôn, làng. Bạn có thể tự học bất cứ lúc nào "
        "hoặc học cùng lớp do giảng viên tổ chức tại xã; lần sau mở lại, bài "
        "học tiếp tục đúng chỗ bạn dừng.</p>"
    ),
}

NEWS = [
    {
        "slug": "ra-mat-nen-tang-hoc-so",
        "title": "Ra mắt Học Số – nền tảng học kỹ năng số cho vùng đồng bào dân tộc thiểu số",
        "date": "2026-09-08",
        "summary": (
            "Học Số đưa vào sử dụng bốn khoá học đầu tiên: Tin học cơ bản, "
            "An toàn thông tin, Thương mại điện tử và Tiếng Jrai cho cán bộ. "
            "Người học dùng điện thoại, học miễn phí và nhận chứng chỉ có mã "
            "QR."
        ),
        "body": (
            "<p>Học Số là nền tảng học trực tuyến mã nguồn mở, xây dựng cho "
            "các chương trình phổ cập kỹ năng số ở vùng đồng bào dân tộc "
            "thiểu số và miền núi. Bản thử nghiệm đầu tiên được triển khai "
            "tại tỉnh Gia Lai.</p><h2>Bốn khoá học đầu "
            "tiên</h2><ul><li><b>Tin học cơ bản</b>: dùng điện thoại, máy "
            "tính, Zalo, email, Cổng Dịch vụ công quốc gia và ứng dụng "
            "VNeID.</li><li><b>An toàn thông tin cho mọi người</b>: mật khẩu "
            "mạnh, nhận biết lừa đảo, bảo vệ dữ liệu cá "
            "nhân.</li><li><b>Thương mại điện tử cho thanh niên dân tộc "
            "thiểu số</b>: bán cà phê, hồ tiêu, thổ cẩm và sản phẩm OCOP qua "
            "mạng.</li><li><b>Tiếng Jrai cho cán bộ</b>: chào hỏi, số đếm, "
            "từ ngữ thường dùng và phong tục của đồng bào "
            "Jrai.</li></ul><h2>Học trên điện thoại, có chứng chỉ</h2><p>Mỗi "
            "bài học dài 20–45 phút, đọc tốt trên điện thoại, dùng ít dữ "
            "liệu di động. Cuối mỗi khoá có bài kiểm tra; người học đạt từ "
            "70% trở lên được cấp chứng chỉ điện tử. Cơ quan, đơn vị chỉ cần "
            "quét mã QR trên chứng chỉ là kiểm tra được chứng chỉ thật hay "
            "giả.</p><p>Các xã có thể tổ chức lớp học tập trung: giảng viên "
            "hướng dẫn trên máy chiếu, học viên thực hành ngay trên điện "
            "thoại của mình.</p>"
        ),
    },
    {
        "slug": "tap-huan-ky-nang-so-cho-truong-thon-xa-ia-grai",
        "title": "Tập huấn kỹ năng số cho trưởng thôn, người có uy tín ở xã Ia Grai",
        "date": "2026-10-15",
        "summary": (
            "Trong hai ngày, hơn 30 trưởng thôn, già làng, người có uy tín "
            "và đoàn viên thanh niên của xã Ia Grai đã thực hành cài VNeID, "
            "nộp hồ sơ trực tuyến và nhận biết các chiêu lừa đảo qua điện "
            "thoại."
        ),
        "body": (
            "<p>Lớp tập huấn được tổ chức tại hội trường xã Ia Grai, dành "
            "cho trưởng thôn, làng, già làng, người có uy tín và đoàn viên "
            "thanh niên trong tổ công nghệ số cộng đồng. Học viên học theo "
            "khoá <i>Tin học cơ bản</i> và <i>An toàn thông tin cho mọi "
            "người</i> trên Học Số.</p><h2>Học bằng cách làm</h2><p>Thay vì "
            "nghe giảng dài, mỗi buổi học chia thành các phần ngắn: giảng "
            "viên làm mẫu trên màn hình lớn, học viên làm theo trên điện "
            "thoại của mình, đoàn viên thanh niên đi từng bàn hỗ trợ. Nhiều "
            "học viên lần đầu tự tăng cỡ chữ trên điện thoại, gửi tệp qua "
            "Zalo và tra cứu hồ sơ trên Cổng Dịch vụ công quốc "
            "gia.</p><p>Phần được quan tâm nhất là nhận biết lừa đảo. Một "
            "trưởng làng người Jrai kể lại chuyện bà con trong làng nhận "
            "cuộc gọi xưng là công an, đòi chuyển tiền “để giải quyết hồ "
            "sơ”. Sau buổi học, các trưởng thôn thống nhất sẽ nhắc lại trong "
            "các buổi họp làng: công an không làm việc qua điện thoại và "
            "không bao giờ yêu cầu chuyển tiền.</p><h2>Về làng hướng dẫn lại "
            "cho bà con</h2><p>Học viên hoàn thành bài kiểm tra cuối khoá "
            "được cấp chứng chỉ có mã QR. Mỗi thôn, làng sẽ có ít nhất một "
            "người làm đầu mối, phối hợp với tổ công nghệ số cộng đồng hướng "
            "dẫn lại cho bà con, bằng cả tiếng Việt và tiếng Jrai.</p>"
        ),
    },
    {
        "slug": "canh-bao-lua-dao-gia-danh-cong-an-o-nong-thon",
        "title": (
            "Cảnh báo: lừa đảo giả danh công an, “hỗ trợ cập nhật VNeID” "
            "nhắm vào người dân nông thôn"
        ),
        "date": "2026-11-03",
        "summary": (
            "Kẻ gian gọi điện xưng là công an, nói người dân liên quan đến "
            "vụ án hoặc cần “cập nhật VNeID”, rồi dụ cài ứng dụng lạ và "
            "chuyển tiền. Công an không làm việc qua điện thoại và không yêu "
            "cầu chuyển tiền."
        ),
        "body": (
            "<p>Thời gian gần đây, ở nhiều xã vùng sâu, vùng xa xuất hiện "
            "các cuộc gọi giả danh công an. Kẻ gian thường nhắm vào người "
            "lớn tuổi, người ít dùng điện thoại thông minh và các hộ vừa bán "
            "được nông sản như cà phê, hồ tiêu.</p><h2>Các kịch bản thường "
            "gặp</h2><ul><li>Gọi điện, có khi gọi video mặc sắc phục công "
            "an, nói người nghe liên quan đến vụ án ma tuý, rửa tiền và yêu "
            "cầu chuyển tiền vào “tài khoản tạm giữ”.</li><li>Xưng là công "
            "an xã, đề nghị “hỗ trợ cập nhật VNeID lên mức 2” hoặc “đồng bộ "
            "căn cước”, rồi gửi đường link để cài ứng dụng giả. Ứng dụng này "
            "chiếm quyền điều khiển điện thoại và rút tiền trong tài khoản "
            "ngân hàng.</li><li>Yêu cầu quay video khuôn mặt để “xác thực”, "
            "rồi dùng hình ảnh đó để vượt qua bước xác thực sinh trắc học "
            "của ngân hàng.</li></ul><h2>Bà con cần nhớ</h2><ul><li>Công an "
            "<b>không</b> làm việc, lấy lời khai qua điện thoại, Zalo; "
            "<b>không</b> yêu cầu chuyển tiền; <b>không</b> gửi đường link "
            "cài ứng dụng.</li><li>Chỉ cài VNeID từ CH Play hoặc App Store; "
            "cần hỗ trợ thì đến trực tiếp công an xã.</li><li>Không đọc mã "
            "OTP, không quay video khuôn mặt theo yêu cầu của người "
            "lạ.</li></ul><p>Nếu đã chuyển tiền, hãy gọi ngay tổng đài ngân "
            "hàng để yêu cầu phong toả giao dịch, rồi đến công an xã gần "
            "nhất để trình báo, mang theo ảnh chụp tin nhắn, số điện thoại "
            "và số tài khoản đã chuyển. Trường hợp khẩn cấp, gọi <b>113</b>. "
            "Cuộc gọi, tin nhắn có dấu hiệu lừa đảo có thể phản ánh miễn phí "
            "tới tổng đài <b>156</b> hoặc <b>5656</b>.</p><p>Khoá học miễn "
            "phí <i>An toàn thông tin cho mọi người</i> trên Học Số hướng "
            "dẫn chi tiết cách nhận biết và xử lý các chiêu lừa này.</p>"
        ),
    },
]

ABOUT = {
    "slug": "gioi-thieu",
    "title": "Giới thiệu",
    "intro": (
        "Học Số là nền tảng học kỹ năng số mã nguồn mở, xây dựng cho người "
        "dân và cán bộ ở vùng đồng bào dân tộc thiểu số và miền núi."
    ),
    "body": (
        "<h2>Học Số dành cho ai?</h2><ul><li>Cán bộ, công chức cấp xã cần "
        "học các khoá bắt buộc: tin học cơ bản, chuyển đổi số, an toàn thông "
        "tin, tiếng dân tộc thiểu số.</li><li>Trưởng thôn, già làng, người "
        "có uy tín – những người bà con tin cậy và thường hỏi ý "
        "kiến.</li><li>Thanh niên dân tộc thiểu số, hộ kinh doanh, tổ hợp "
        "tác và hợp tác xã muốn bán sản phẩm địa phương qua "
        "mạng.</li></ul><h2>Học như thế nào?</h2><ul><li>Học trên điện "
        "thoại, mỗi bài 20–45 phút; dừng lúc nào cũng được, lần sau học "
        "tiếp.</li><li>Tự học, hoặc học trong lớp do giảng viên tổ chức tại "
        "xã.</li><li>Cuối mỗi khoá có bài kiểm tra; đạt yêu cầu thì nhận "
        "chứng chỉ.</li></ul><h2>Chứng chỉ kiểm tra được bằng mã "
        "QR</h2><p>Mỗi chứng chỉ có số hiệu riêng và mã QR. Bất kỳ ai – cơ "
        "quan tuyển dụng, đoàn kiểm tra, người sử dụng lao động – quét mã QR "
        "là xem được chứng chỉ cấp cho ai, khoá học nào, bao nhiêu giờ, ngày "
        "cấp, đơn vị cấp và chứng chỉ còn hiệu lực hay đã bị thu hồi. Nội "
        "dung mã QR được ký số, nên không thể sửa thông tin trên chứng chỉ "
        "mà không bị phát hiện.</p><h2>Mã nguồn mở</h2><p>Học Số là phần mềm "
        "mã nguồn mở, phát hành theo giấy phép GNU AGPL phiên bản 3 trở lên. "
        "Các tỉnh, trường học và tổ chức có thể tự cài đặt, điều chỉnh cho "
        "phù hợp với địa phương. Nội dung bài học có thể dịch sang tiếng "
        "Jrai, Ê-đê, Mông, Khmer và các ngôn ngữ dân tộc khác.</p><h2>Thông "
        "tin cá nhân của học viên</h2><p>Thông tin học viên chỉ dùng cho "
        "việc học, cấp chứng chỉ và báo cáo thống kê của chương trình. Cán "
        "bộ quản lý chỉ xem được học viên thuộc địa bàn mình phụ "
        "trách.</p><p><i>Trang này đang chạy dữ liệu mẫu (demo) của tỉnh Gia "
        "Lai.</i></p>"
    ),
}

COURSES = [
    {
        "slug": "tin-hoc-co-ban",
        "title": "Tin học cơ bản",
        "topic": "it-basics",
        "level": "beginner",
        "language": "vi",
        "pass_mark": 70,
        "summary": (
            "Làm quen với điện thoại thông minh và máy tính, quản lý tệp, "
            "tìm thông tin trên Internet, dùng Zalo, email, Cổng Dịch vụ "
            "công quốc gia và ứng dụng VNeID. Dành cho người mới bắt đầu."
        ),
        "description": (
            "<p>Khoá học dành cho cán bộ, công chức xã, trưởng thôn, người "
            "có uy tín và mọi người mới bắt đầu dùng điện thoại thông minh, "
            "máy tính. Bạn không cần biết trước về tin học; chỉ cần một "
            "chiếc điện thoại có kết nối Internet.</p><h3>Bạn sẽ học "
            "được</h3><ul><li>Sử dụng điện thoại thông minh và máy tính đúng "
            "cách, an toàn</li><li>Lưu, đặt tên, tìm và gửi tệp: ảnh, văn "
            "bản, tài liệu PDF</li><li>Tìm thông tin trên Internet và nhận "
            "biết trang web chính thức</li><li>Nhắn tin, gửi tài liệu qua "
            "Zalo và email</li><li>Kích hoạt VNeID và nộp hồ sơ trên Cổng "
            "Dịch vụ công quốc gia</li></ul>"
        ),
        "lessons": [
            {
                "slug": "lam-quen-dien-thoai-va-may-tinh",
                "title": "Làm quen với điện thoại thông minh và máy tính",
                "summary": (
                    "Các thao tác chạm, vuốt, cài đặt cho dễ dùng, kết nối "
                    "Wi-Fi, 4G và những điều cơ bản khi dùng máy tính ở trụ "
                    "sở xã."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Điện thoại thông minh: những thao tác đầu "
                            "tiên</h2><p>Điện thoại thông minh giống như một "
                            "chiếc máy tính nhỏ trong túi áo. Phần lớn điện "
                            "thoại ở nước ta chạy Android (Samsung, Oppo, "
                            "Xiaomi, Vivo…) hoặc iOS (iPhone). Cách dùng hai "
                            "loại gần giống nhau.</p><ul><li><b>Chạm</b>: chạm "
                            "nhẹ một lần vào biểu tượng để mở ứng "
                            "dụng.</li><li><b>Chạm và giữ</b>: giữ ngón tay "
                            "khoảng một giây để hiện thêm lựa chọn như xoá, di "
                            "chuyển, chia sẻ.</li><li><b>Vuốt</b>: kéo ngón tay "
                            "lên, xuống, sang trái, sang phải để xem tiếp nội "
                            "dung.</li><li><b>Chụm hoặc mở hai ngón tay</b>: thu "
                            "nhỏ hoặc phóng to ảnh, chữ.</li></ul><p>Vuốt từ mép "
                            "trên màn hình xuống để mở <b>bảng điều khiển "
                            "nhanh</b>: bật, tắt Wi-Fi, dữ liệu di động, đèn "
                            "pin, chế độ máy bay, chỉnh độ sáng.</p><h3>Cài đặt "
                            "cho dễ dùng, an toàn</h3><ul><li>Vào <b>Cài đặt → "
                            "Màn hình</b> để tăng cỡ chữ nếu chữ quá "
                            "nhỏ.</li><li>Đặt <b>khoá màn hình</b> bằng mã PIN 6 "
                            "số, hình vẽ hoặc vân tay để người khác không tự ý "
                            "mở máy.</li><li>Chỉ cài ứng dụng từ <b>CH Play</b> "
                            "(Android) hoặc <b>App Store</b> (iPhone), không cài "
                            "từ đường link người lạ gửi.</li><li>Cập nhật phần "
                            "mềm khi máy báo có bản mới: bản cập nhật thường vá "
                            "các lỗi bảo mật.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Kết nối Internet: Wi-Fi và 4G</h2><p>Điện thoại "
                            "vào mạng bằng hai cách: <b>Wi-Fi</b> (mạng không "
                            "dây ở nhà, ở trụ sở xã, bưu điện) hoặc <b>dữ liệu "
                            "di động</b> (3G, 4G của nhà mạng, tính tiền theo "
                            "gói cước). Khi có Wi-Fi, nên dùng Wi-Fi để tiết "
                            "kiệm tiền cước, nhất là khi xem video hay tải ứng "
                            "dụng.</p><p>Để kết nối Wi-Fi: vào <b>Cài đặt → "
                            "Wi-Fi</b>, bật lên, chọn tên mạng và nhập mật khẩu. "
                            "Biểu tượng hình quạt ở đầu màn hình cho biết máy đã "
                            "kết nối.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Tiết kiệm pin và bộ nhớ",
                            "text": (
                                "<ul><li>Giảm độ sáng màn hình; tắt Wi-Fi, "
                                "Bluetooth khi không dùng.</li><li>Xoá ảnh, "
                                "video trùng lặp và gỡ ứng dụng không dùng để "
                                "máy chạy nhanh hơn.</li><li>Sạc bằng bộ sạc "
                                "đúng loại; khi máy nóng, không vừa sạc vừa dùng "
                                "lâu.</li></ul>"
                            ),
                        },
                    ),
                    (
                        "text",
                        (
                            "<h2>Máy tính: chuột, bàn phím và cửa sổ</h2><p>Ở "
                            "trụ sở xã, bạn thường dùng máy tính để bàn hoặc máy "
                            "tính xách tay chạy Windows. Những điều cần "
                            "nhớ:</p><ul><li><b>Bật máy</b>: nhấn nút nguồn một "
                            "lần, chờ màn hình đăng nhập rồi nhập mật "
                            "khẩu.</li><li><b>Chuột</b>: nhấn nút trái một lần "
                            "để chọn, nhấn nhanh hai lần để mở, nhấn nút phải để "
                            "xem thêm lựa chọn.</li><li><b>Gõ tiếng Việt</b>: "
                            "dùng bộ gõ tiếng Việt (ví dụ Unikey hoặc bộ gõ có "
                            "sẵn của Windows), chọn kiểu gõ Telex hoặc VNI. Với "
                            "Telex: gõ <i>as</i> thành <i>á</i>, <i>dd</i> thành "
                            "<i>đ</i>, <i>ow</i> thành <i>ơ</i>.</li><li><b>Cửa "
                            "sổ</b>: mỗi chương trình mở trong một cửa sổ; ba "
                            "nút ở góc trên bên phải dùng để thu nhỏ, phóng to "
                            "và đóng.</li><li><b>Tắt máy</b>: bấm nút "
                            "<b>Start</b> (biểu tượng cửa sổ) → <b>Nguồn</b> → "
                            "<b>Tắt máy</b>. Không rút điện khi máy đang chạy vì "
                            "có thể mất dữ liệu.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Thực hành 10 phút",
                            "text": (
                                "<ol><li>Tăng cỡ chữ trên điện thoại của bạn lên "
                                "một mức.</li><li>Kết nối Wi-Fi ở trụ sở xã hoặc "
                                "ở nhà.</li><li>Trên máy tính, mở Notepad hoặc "
                                "Word, gõ họ tên của bạn có dấu, rồi đóng cửa "
                                "sổ.</li></ol>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "tep-internet-zalo-va-email",
                "title": "Tệp tin, Internet, Zalo và email",
                "summary": (
                    "Lưu và đặt tên tệp cho dễ tìm, tìm thông tin trên "
                    "Internet, nhận biết trang web chính thức, gửi tài liệu "
                    "qua Zalo và email."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Tệp và thư mục</h2><p>Mọi thứ lưu trong máy – "
                            "một bức ảnh, một văn bản, một bảng tính – gọi là "
                            "<b>tệp</b> (file). Các tệp được xếp vào <b>thư "
                            "mục</b> (folder), giống như giấy tờ được xếp vào "
                            "các bìa hồ sơ trong tủ.</p><ul><li>Trên máy tính "
                            "Windows, mở <b>File Explorer</b> (biểu tượng thư "
                            "mục màu vàng). Tệp tải từ Internet thường nằm trong "
                            "thư mục <b>Downloads</b> (Tải xuống).</li><li>Trên "
                            "điện thoại Android, mở ứng dụng <b>Tệp</b> hoặc "
                            "<b>Quản lý tệp</b>; trên iPhone, mở ứng dụng "
                            "<b>Tệp</b>.</li><li>Phần đuôi của tên tệp cho biết "
                            "loại tệp: <i>.docx</i> là văn bản Word, "
                            "<i>.xlsx</i> là bảng tính Excel, <i>.pdf</i> là tài "
                            "liệu PDF, <i>.jpg</i> là ảnh.</li></ul><h3>Đặt tên "
                            "tệp dễ tìm</h3><p>Đặt tên ngắn, rõ nội dung và có "
                            "ngày tháng, ví dụ: <i>2026-10-15 Bien ban hop thon "
                            "3.docx</i>. Viết ngày theo thứ tự năm-tháng-ngày để "
                            "các tệp tự xếp theo thời gian. Nên viết tên tệp "
                            "không dấu để khi gửi qua các phần mềm khác nhau "
                            "không bị lỗi chữ.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Tìm thông tin trên Internet</h2><p>Mở trình "
                            "duyệt (Chrome, Cốc Cốc, Safari…), gõ điều bạn cần "
                            "tìm vào ô tìm kiếm, ví dụ: <i>thủ tục đăng ký khai "
                            "sinh</i>. Trước khi tin một trang web, hãy xem kỹ "
                            "địa chỉ của nó:</p><ul><li>Trang của cơ quan nhà "
                            "nước có đuôi <b>.gov.vn</b>, ví dụ <a "
                            'href="https://dichvucong.gov.vn">dichvucong.gov.vn</a>.</li><li>Cẩn '
                            "thận với địa chỉ gần giống trang thật nhưng sai một "
                            "vài chữ hoặc có thêm chữ lạ.</li><li>Thông tin quan "
                            "trọng như thủ tục, lệ phí, chính sách nên đối chiếu "
                            "với trang chính thức hoặc hỏi cán bộ phụ "
                            "trách.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Zalo và email</h2><p><b>Zalo</b> là ứng dụng "
                            "nhắn tin, gọi điện được dùng nhiều nhất ở nước ta. "
                            "Ngoài nhắn tin, bạn có thể:</p><ul><li>Gửi ảnh, tài "
                            "liệu: trong khung chat, bấm biểu tượng ảnh hoặc "
                            "biểu tượng kẹp giấy, chọn tệp rồi gửi.</li><li>Dùng "
                            "<b>Cloud của tôi</b> để lưu tạm tài liệu và chuyển "
                            "giữa điện thoại và máy tính (Zalo trên máy tính "
                            "hoặc trang chat.zalo.me).</li><li>Lập nhóm thôn, "
                            "nhóm tổ để thông báo lịch họp, lịch tiêm chủng, "
                            "lịch thu hoạch.</li></ul><p><b>Email</b> (thư điện "
                            "tử) dùng để gửi văn bản, hồ sơ và để đăng ký tài "
                            "khoản trên nhiều trang web. Bạn có thể tạo miễn phí "
                            "một hộp thư Gmail bằng ứng dụng Gmail trên điện "
                            "thoại. Một email gồm: địa chỉ người nhận, <b>tiêu "
                            "đề</b> ngắn và rõ nội dung, phần nội dung và <b>tệp "
                            "đính kèm</b> nếu có.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Gửi tài liệu cho rõ ràng",
                            "text": (
                                "<p>Khi gửi tài liệu cho cơ quan qua email hoặc "
                                "Zalo, hãy viết một câu giới thiệu: bạn là ai, "
                                "gửi tài liệu gì, để làm gì. Ví dụ: <i>“Kính gửi "
                                "Văn phòng UBND xã, thôn 3 gửi danh sách 25 "
                                "người đăng ký lớp kỹ năng số.”</i> Khi chụp "
                                "giấy tờ, đặt giấy nằm phẳng ở nơi đủ sáng và "
                                "chụp thẳng từ trên xuống để chữ dễ đọc.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Không mở tệp, đường link lạ",
                            "text": (
                                "<p>Không mở tệp có đuôi <i>.apk</i> hoặc đường "
                                "link do người lạ gửi qua Zalo, tin nhắn. Tệp "
                                "<i>.apk</i> là tệp cài ứng dụng trên Android; "
                                "kẻ gian dùng nó để chiếm quyền điều khiển điện "
                                "thoại và lấy tiền trong tài khoản ngân hàng.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "dich-vu-cong-truc-tuyen-va-vneid",
                "title": "Dịch vụ công trực tuyến và ứng dụng VNeID",
                "summary": (
                    "Tài khoản định danh điện tử VNeID mức 1, mức 2; các "
                    "bước nộp hồ sơ trên Cổng Dịch vụ công quốc gia và tra "
                    "cứu kết quả."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Ứng dụng VNeID là gì?</h2><p>VNeID là ứng dụng "
                            "định danh điện tử do Bộ Công an phát triển. Tài "
                            "khoản VNeID giống như giấy tờ tuỳ thân trên điện "
                            "thoại, và là chìa khoá để đăng nhập Cổng Dịch vụ "
                            "công quốc gia.</p><ul><li><b>Tài khoản mức 1</b>: "
                            "tự đăng ký trên ứng dụng, dùng được một số tính "
                            "năng.</li><li><b>Tài khoản mức 2</b>: đăng ký tại "
                            "công an cấp xã (thường làm cùng lúc với thẻ căn "
                            "cước), có ảnh chân dung và vân tay. Tài khoản mức 2 "
                            "dùng được đầy đủ: xuất trình thẻ căn cước điện tử, "
                            "tích hợp giấy phép lái xe, thẻ bảo hiểm y tế, làm "
                            "thủ tục hành chính trực tuyến.</li></ul><h3>Kích "
                            "hoạt tài khoản mức 2</h3><ol><li>Tải ứng dụng "
                            "<b>VNeID</b> từ CH Play hoặc App Store; kiểm tra "
                            "đúng tên ứng dụng và nhà phát triển thuộc Bộ Công "
                            "an.</li><li>Sau khi đăng ký tại công an xã, bạn "
                            "nhận tin nhắn có mã kích hoạt gửi về số điện thoại "
                            "đã đăng ký.</li><li>Mở ứng dụng, làm theo hướng "
                            "dẫn: nhập số định danh cá nhân (12 số trên thẻ căn "
                            "cước), số điện thoại và mã kích hoạt.</li><li>Đặt "
                            "mật khẩu mới và mã bảo vệ (passcode) 6 số, không "
                            "cho ai biết.</li></ol>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Không ai “kích hoạt VNeID hộ” qua điện thoại",
                            "text": (
                                "<p>Công an không gọi điện để “hỗ trợ kích "
                                "hoạt”, “cập nhật lên mức 2” và không gửi đường "
                                "link cài VNeID. Đây là thủ đoạn lừa đảo rất phổ "
                                "biến. Chỉ tải VNeID từ CH Play hoặc App Store; "
                                "khi cần hỗ trợ, hãy đến trực tiếp công an "
                                "xã.</p>"
                            ),
                        },
                    ),
                    (
                        "text",
                        (
                            "<h2>Cổng Dịch vụ công quốc gia</h2><p>Tại <a "
                            'href="https://dichvucong.gov.vn">dichvucong.gov.vn</a>, '
                            "người dân làm được nhiều thủ tục mà không phải đi "
                            "lại nhiều lần, ví dụ: nhóm thủ tục liên thông đăng "
                            "ký khai sinh – đăng ký thường trú – cấp thẻ bảo "
                            "hiểm y tế cho trẻ dưới 6 tuổi, đăng ký kết hôn, cấp "
                            "phiếu lý lịch tư pháp, nộp thuế và lệ "
                            "phí.</p><h3>Các bước nộp một hồ "
                            "sơ</h3><ol><li><b>Đăng nhập</b> bằng tài khoản định "
                            "danh điện tử VNeID (nhập số định danh và mật khẩu, "
                            "hoặc quét mã QR bằng ứng dụng VNeID), rồi xác nhận "
                            "trên ứng dụng hoặc bằng mã OTP.</li><li><b>Tìm thủ "
                            "tục</b>: gõ tên thủ tục vào ô tìm kiếm, chọn đúng "
                            "tỉnh và cơ quan giải quyết, thường là UBND "
                            "xã.</li><li><b>Điền tờ khai</b>: nhiều thông tin "
                            "được tự điền từ Cơ sở dữ liệu quốc gia về dân cư; "
                            "kiểm tra lại cho đúng.</li><li><b>Đính kèm giấy "
                            "tờ</b>: chụp hoặc quét rõ nét, đúng loại giấy tờ "
                            "yêu cầu.</li><li><b>Nộp lệ phí</b> trực tuyến nếu "
                            "có, rồi bấm <b>Nộp hồ sơ</b>.</li><li><b>Lưu mã hồ "
                            "sơ</b> để tra cứu tình trạng giải quyết. Tuỳ thủ "
                            "tục, kết quả nhận bản điện tử, qua bưu điện hoặc "
                            "tại bộ phận một cửa của xã.</li></ol>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Ví dụ: làm giấy khai sinh cho con",
                            "text": (
                                "<p>Chị H. ở làng Dêr vừa sinh con thứ hai. Chị "
                                "đăng nhập Cổng Dịch vụ công bằng VNeID, chọn "
                                "thủ tục liên thông <i>đăng ký khai sinh – đăng "
                                "ký thường trú – cấp thẻ bảo hiểm y tế cho trẻ "
                                "dưới 6 tuổi</i>, chụp giấy chứng sinh của trạm "
                                "y tế và nộp. Khi hồ sơ giải quyết xong, chị "
                                "nhận thông báo và nhận kết quả theo hình thức "
                                "đã chọn. Nếu chưa quen, chị có thể nhờ tổ công "
                                "nghệ số cộng đồng hoặc cán bộ một cửa của xã "
                                "hướng dẫn.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "bai-kiem-tra-cuoi-khoa",
                "title": "Bài kiểm tra cuối khoá",
                "summary": (
                    "Năm câu hỏi ôn lại toàn bộ khoá học. Đạt 70% trở lên để "
                    "hoàn thành khoá và nhận chứng chỉ."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<p>Bài kiểm tra gồm 5 câu hỏi về nội dung ba bài "
                            "học trước. Đọc kỹ từng câu; câu nào ghi <b>chọn tất "
                            "cả đáp án đúng</b> thì có thể có nhiều đáp án đúng. "
                            "Nếu chưa đạt, bạn có thể xem lại bài học và làm "
                            "lại.</p>"
                        ),
                    ),
                    (
                        "quiz",
                        {
                            "title": "Bài kiểm tra cuối khoá",
                            "intro": (
                                "Chọn câu trả lời đúng. Bạn cần đạt 70% để hoàn thành khoá học."
                            ),
                            "draw": 5,
                            "questions": [
                                {
                                    "text": (
                                        "Muốn cài một ứng dụng mới trên điện "
                                        "thoại Android, bạn nên tải từ đâu?"
                                    ),
                                    "kind": "single",
                                    "topic": "Điện thoại và máy tính",
                                    "choices": [
                                        ("Từ kho ứng dụng CH Play", True),
                                        ("Từ đường link một người lạ gửi qua Zalo", False),
                                        ("Từ tệp .apk nhận được qua tin nhắn", False),
                                    ],
                                    "explanation": (
                                        "Chỉ nên cài ứng dụng từ CH Play "
                                        "(Android) hoặc App Store (iPhone). Tệp "
                                        ".apk và đường link lạ có thể là ứng "
                                        "dụng độc hại giúp kẻ gian chiếm quyền "
                                        "điều khiển điện thoại."
                                    ),
                                },
                                {
                                    "text": (
                                        "Trang web của cơ quan nhà nước Việt Nam "
                                        "thường có đuôi địa chỉ nào?"
                                    ),
                                    "kind": "single",
                                    "topic": "Tệp, Internet, Zalo và email",
                                    "choices": [
                                        (".gov.vn", True),
                                        (".com", False),
                                        (".xyz", False),
                                    ],
                                    "explanation": (
                                        "Trang của cơ quan nhà nước có đuôi "
                                        ".gov.vn, ví dụ dichvucong.gov.vn. Địa "
                                        "chỉ gần giống nhưng sai chữ hoặc có "
                                        "đuôi lạ có thể là trang giả mạo."
                                    ),
                                },
                                {
                                    "text": (
                                        "Tài khoản định danh điện tử VNeID mức 2 "
                                        "dùng được để làm gì? (Chọn tất cả đáp "
                                        "án đúng)"
                                    ),
                                    "kind": "multiple",
                                    "topic": "Dịch vụ công trực tuyến và VNeID",
                                    "choices": [
                                        ("Đăng nhập Cổng Dịch vụ công quốc gia", True),
                                        ("Xuất trình thẻ căn cước điện tử", True),
                                        (("Tích hợp thẻ bảo hiểm y tế, giấy phép lái xe"), True),
                                        (
                                            (
                                                "Cho người gọi điện xưng là công an "
                                                "mượn để “cập nhật” hộ"
                                            ),
                                            False,
                                        ),
                                    ],
                                    "explanation": (
                                        "Tài khoản mức 2 dùng để xuất trình thẻ "
                                        "căn cước điện tử, tích hợp giấy tờ và "
                                        "làm thủ tục trực tuyến. Không bao giờ "
                                        "đưa tài khoản, mật khẩu hay mã OTP cho "
                                        "người khác, kể cả người xưng là công an."
                                    ),
                                },
                                {
                                    "text": (
                                        "Bạn muốn đặt tên cho tệp biên bản họp "
                                        "thôn để sau này dễ tìm. Tên nào tốt "
                                        "nhất?"
                                    ),
                                    "kind": "single",
                                    "topic": "Tệp, Internet, Zalo và email",
                                    "choices": [
                                        ("2026-10-15 Bien ban hop thon 3.docx", True),
                                        ("Tai lieu moi (1).docx", False),
                                        ("abc.docx", False),
                                    ],
                                    "explanation": (
                                        "Tên tệp tốt cho biết ngày "
                                        "(năm-tháng-ngày) và nội dung, viết "
                                        "không dấu để tránh lỗi khi gửi qua các "
                                        "phần mềm khác nhau."
                                    ),
                                },
                                {
                                    "text": (
                                        "Sau khi nộp hồ sơ trên Cổng Dịch vụ "
                                        "công quốc gia, bạn nên làm gì?"
                                    ),
                                    "kind": "single",
                                    "topic": "Dịch vụ công trực tuyến và VNeID",
                                    "choices": [
                                        (("Lưu mã hồ sơ để tra cứu tình trạng giải quyết"), True),
                                        ("Nộp thêm vài lần nữa cho chắc", False),
                                        ("Xoá ứng dụng VNeID vì đã nộp xong", False),
                                    ],
                                    "explanation": (
                                        "Mã hồ sơ giúp bạn tra cứu hồ sơ đang "
                                        "được giải quyết đến đâu và nhận kết "
                                        "quả. Nộp trùng nhiều lần chỉ làm chậm "
                                        "việc giải quyết."
                                    ),
                                },
                            ]
                            + banks.MORE_QUESTIONS["tin-hoc-co-ban"],
                        },
                    ),
                ],
            },
        ],
    },
    {
        "slug": "an-toan-thong-tin",
        "title": "An toàn thông tin cho mọi người",
        "topic": "cybersecurity",
        "level": "beginner",
        "language": "vi",
        "pass_mark": 70,
        "summary": (
            "Bảo vệ tài khoản bằng mật khẩu mạnh và xác minh 2 bước, nhận "
            "biết các chiêu lừa đảo qua điện thoại và mạng xã hội, giữ an "
            "toàn dữ liệu cá nhân và biết phải làm gì ngay khi bị lừa."
        ),
        "description": (
            "<p>Khoá học dành cho mọi người dùng điện thoại: cán bộ xã, "
            "trưởng thôn và người có uy tín – những người bà con thường hỏi "
            "ý kiến khi gặp cuộc gọi, tin nhắn lạ – cùng thanh niên và hộ "
            "kinh doanh có tài khoản ngân hàng, ví điện tử.</p><h3>Bạn sẽ "
            "học được</h3><ul><li>Tạo mật khẩu mạnh, bật xác minh 2 bước cho "
            "email, Facebook và bảo vệ tài khoản Zalo</li><li>Nhận biết các "
            "chiêu lừa: giả danh công an, đường link giả, trúng thưởng, tin "
            "nhắn giả ngân hàng</li><li>Bảo vệ thông tin cá nhân của mình và "
            "của người dân</li><li>Dùng mạng xã hội an toàn và biết báo cho "
            "ai, làm gì ngay khi bị lừa</li></ul>"
        ),
        "lessons": [
            {
                "slug": "mat-khau-manh-va-xac-minh-2-buoc",
                "title": "Mật khẩu mạnh và xác minh 2 bước",
                "summary": (
                    "Vì sao mật khẩu yếu nguy hiểm, cách tạo cụm mật khẩu dễ "
                    "nhớ, bật xác minh 2 bước và giữ bí mật mã OTP."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Vì sao mật khẩu quan trọng?</h2><p>Tài khoản "
                            "Zalo, Facebook, email hay ứng dụng ngân hàng của "
                            "bạn chứa tin nhắn, danh bạ, ảnh giấy tờ và cả tiền. "
                            "Nếu kẻ gian đoán được mật khẩu, chúng có thể nhắn "
                            "tin cho người thân của bạn để vay tiền, hoặc chuyển "
                            "tiền khỏi tài khoản.</p><h3>Những mật khẩu yếu "
                            "thường gặp</h3><ul><li>Ngày sinh, số điện thoại, "
                            "tên con: rất dễ đoán với người biết "
                            "bạn.</li><li>Dãy số, chữ quen thuộc: <i>123456</i>, "
                            "<i>abc123</i>, <i>matkhau</i>.</li><li>Dùng một mật "
                            "khẩu cho tất cả tài khoản: lộ ở một nơi là mất tất "
                            "cả.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Tạo mật khẩu mạnh mà vẫn dễ nhớ</h2><p>Hãy dùng "
                            "<b>cụm mật khẩu</b>: ghép vài từ mà chỉ bạn hiểu, "
                            "thêm số và ký hiệu. Mật khẩu nên dài từ 12 ký tự "
                            "trở lên.</p><ul><li>Cách nghĩ: lấy một câu của "
                            "riêng bạn, ví dụ <i>“Nhà tôi có 3 cây mít bên "
                            "suối”</i>, rồi viết thành "
                            "<i>NhaToiCo3CayMit#Suoi</i>. Đừng dùng đúng ví dụ "
                            "này – hãy tự nghĩ câu của bạn.</li><li>Mỗi tài "
                            "khoản quan trọng (email, ngân hàng, Zalo, Facebook) "
                            "dùng một mật khẩu khác nhau.</li><li>Nếu sợ quên, "
                            "có thể ghi vào một cuốn sổ cất kín trong nhà, hoặc "
                            "dùng trình quản lý mật khẩu có sẵn của Google hay "
                            "Apple. Không dán giấy ghi mật khẩu lên điện thoại, "
                            "máy tính.</li><li>Mã PIN mở điện thoại và mã PIN "
                            "thẻ ngân hàng: không dùng ngày sinh, không dùng 6 "
                            "số giống nhau.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Xác minh 2 bước: thêm một ổ khoá</h2><p>Xác "
                            "minh 2 bước nghĩa là khi đăng nhập trên một máy lạ, "
                            "ngoài mật khẩu còn phải nhập thêm một mã (gửi qua "
                            "tin nhắn hoặc tạo trong ứng dụng) hoặc bấm xác nhận "
                            "trên điện thoại của bạn. Kẻ gian có biết mật khẩu "
                            "cũng không vào được.</p><ul><li><b>Gmail</b>: vào "
                            "Tài khoản Google → Bảo mật → Xác minh 2 "
                            "bước.</li><li><b>Facebook</b>: vào Cài đặt → Trung "
                            "tâm tài khoản → Mật khẩu và bảo mật → Xác thực 2 "
                            "yếu tố.</li><li><b>Zalo</b>: trong phần Cài đặt → "
                            "Tài khoản và bảo mật, đặt mã khoá Zalo và thường "
                            "xuyên kiểm tra các thiết bị đang đăng nhập; thấy "
                            "thiết bị lạ thì đăng xuất ngay.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Mã OTP là chìa khoá nhà bạn",
                            "text": (
                                "<p>Mã OTP (mã xác thực gửi qua tin nhắn hoặc "
                                "hiện trong ứng dụng) chỉ dành cho chính bạn. "
                                "Ngân hàng, công an, nhà mạng <b>không bao "
                                "giờ</b> hỏi mã OTP. Ai hỏi mã OTP của bạn, dù "
                                "xưng là ai, đều là kẻ lừa đảo.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Thực hành",
                            "text": (
                                "<ol><li>Đổi mật khẩu Zalo hoặc Facebook của bạn "
                                "theo cách cụm mật khẩu.</li><li>Bật xác minh 2 "
                                "bước cho Gmail hoặc Facebook.</li><li>Kiểm tra "
                                "danh sách thiết bị đang đăng nhập Zalo, đăng "
                                "xuất thiết bị lạ.</li></ol>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "nhan-biet-lua-dao",
                "title": "Nhận biết lừa đảo qua điện thoại và mạng",
                "summary": (
                    "Ba dấu hiệu chung của lừa đảo và bốn chiêu phổ biến ở "
                    "nông thôn: giả danh công an, đường link giả, trúng "
                    "thưởng, tin nhắn giả ngân hàng."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Dấu hiệu chung của mọi vụ lừa đảo</h2><p>Kẻ lừa "
                            "đảo đổi kịch bản liên tục, nhưng hầu như lúc nào "
                            "cũng có ba dấu hiệu:</p><ol><li><b>Gây sợ hãi hoặc "
                            "đánh vào lòng tham</b>: “bạn liên quan đến vụ án”, "
                            "“tài khoản sắp bị khoá”, “bạn trúng thưởng xe "
                            "máy”.</li><li><b>Thúc giục</b>: phải làm ngay, "
                            "không được nói cho ai biết.</li><li><b>Đòi tiền, mã "
                            "OTP, thông tin cá nhân</b>, hoặc yêu cầu bấm đường "
                            "link, cài ứng dụng lạ.</li></ol><p>Gặp một trong ba "
                            "dấu hiệu này: dừng lại, cúp máy, hỏi người thân "
                            "hoặc cán bộ xã trước khi làm bất cứ điều gì.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Bốn chiêu lừa phổ biến ở nông thôn</h2><h3>1. "
                            "Giả danh công an, viện kiểm sát, toà án</h3><p>Kẻ "
                            "gian gọi điện, có khi gọi video mặc sắc phục công "
                            "an, nói bạn liên quan đến vụ án ma tuý, rửa tiền, "
                            "rồi yêu cầu chuyển tiền vào “tài khoản tạm giữ” để "
                            "“chứng minh trong sạch”, hoặc đòi cài ứng dụng để "
                            "“cập nhật VNeID”. <b>Công an không làm việc qua "
                            "điện thoại, không yêu cầu chuyển tiền, không gửi "
                            "đường link cài ứng dụng.</b> Giấy mời, giấy triệu "
                            "tập được gửi trực tiếp bằng văn bản.</p><h3>2. "
                            "Đường link giả</h3><p>Tin nhắn hoặc bài đăng có "
                            "đường link dẫn tới trang giống hệt trang ngân hàng, "
                            "Facebook hay dịch vụ công. Khi bạn nhập tài khoản, "
                            "mật khẩu, mã OTP, kẻ gian lấy được ngay. Hãy nhìn "
                            "kỹ địa chỉ: trang giả thường thừa chữ, sai chữ hoặc "
                            "có đuôi lạ.</p><h3>3. Trúng thưởng, quà "
                            "tặng</h3><p>“Chúc mừng bạn trúng xe máy, hãy nộp "
                            "phí vận chuyển, phí hồ sơ để nhận quà.” Không có "
                            "chương trình khuyến mại thật nào bắt người trúng "
                            "thưởng chuyển tiền trước vào tài khoản cá "
                            "nhân.</p><h3>4. Tin nhắn giả ngân hàng</h3><p>Tin "
                            "nhắn mang tên ngân hàng báo “tài khoản của quý "
                            "khách bị khoá”, “cần cập nhật sinh trắc học”, kèm "
                            "một đường link. Kẻ gian có thể dùng thiết bị phát "
                            "sóng giả để tin nhắn hiện đúng tên ngân hàng. Ngân "
                            "hàng không gửi đường link yêu cầu đăng nhập qua tin "
                            "nhắn. Khi nghi ngờ, hãy tự mở ứng dụng ngân hàng "
                            "hoặc gọi số tổng đài in ở mặt sau thẻ.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Chuyện thường gặp: nhắn Zalo vay tiền",
                            "text": (
                                "<p>Anh Y nhận tin nhắn Zalo từ tài khoản của em "
                                "trai: “Anh chuyển giúp em 5 triệu, chiều em "
                                "trả.” Thực ra tài khoản Zalo của người em đã bị "
                                "chiếm. Kẻ gian còn có thể gọi video vài giây "
                                "bằng khuôn mặt giả cho anh tin. Cách làm đúng: "
                                "<b>gọi điện thoại trực tiếp vào số quen</b> của "
                                "người em để hỏi lại trước khi chuyển tiền.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Không đưa khuôn mặt cho người lạ",
                            "text": (
                                "<p>Từ giữa năm 2024, chuyển khoản trên 10 triệu "
                                "đồng một lần (hoặc tổng trên 20 triệu đồng "
                                "trong ngày) phải xác thực bằng khuôn mặt. Vì "
                                "vậy kẻ gian hay đề nghị bạn “quay video khuôn "
                                "mặt, quay trái, quay phải” hoặc cài ứng dụng lạ "
                                "để “xác thực”. Tuyệt đối không làm theo.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "bao-ve-du-lieu-va-xu-ly-khi-bi-lua",
                "title": "Bảo vệ dữ liệu cá nhân và xử lý khi bị lừa",
                "summary": (
                    "Giữ kín thông tin của mình và của người dân, dùng mạng "
                    "xã hội an toàn, và bốn việc phải làm ngay khi bị lừa."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Dữ liệu cá nhân là gì?</h2><p>Dữ liệu cá nhân "
                            "là thông tin gắn với một người cụ thể: họ tên, ngày "
                            "sinh, số căn cước, số điện thoại, địa chỉ, số tài "
                            "khoản ngân hàng, ảnh khuôn mặt, thông tin sức khoẻ… "
                            "Kẻ gian dùng những thông tin này để giả danh bạn, "
                            "vay tiền hoặc lừa người thân của bạn. Luật Bảo vệ "
                            "dữ liệu cá nhân có hiệu lực từ ngày 1/1/2026 yêu "
                            "cầu cơ quan, tổ chức, cá nhân phải bảo vệ dữ liệu "
                            "cá nhân mà mình thu thập và sử "
                            "dụng.</p><ul><li>Không đăng ảnh thẻ căn cước, thẻ "
                            "ngân hàng, giấy tờ đất lên mạng xã hội.</li><li>Khi "
                            "buộc phải gửi ảnh chụp căn cước, hãy ghi thêm mục "
                            "đích lên ảnh, ví dụ: “Chỉ dùng để đăng ký lớp học, "
                            "ngày 15/10/2026”.</li><li>Không điền thông tin vào "
                            "các “khảo sát”, “nhận quà” không rõ nguồn "
                            "gốc.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Cán bộ thôn, xã giữ dữ liệu của người "
                            "dân</h2><p>Trưởng thôn, cán bộ xã thường giữ danh "
                            "sách hộ, số căn cước, số điện thoại của bà con. Đây "
                            "là trách nhiệm lớn:</p><ul><li>Không đăng danh sách "
                            "có số căn cước, ngày sinh, số tài khoản vào nhóm "
                            "Zalo chung của thôn; chỉ gửi riêng cho người có "
                            "trách nhiệm.</li><li>Điện thoại, máy tính dùng cho "
                            "công việc phải có khoá màn hình.</li><li>Huỷ bản "
                            "giấy khi không còn dùng; không dùng giấy có thông "
                            "tin cá nhân để gói đồ.</li></ul><h2>Dùng mạng xã "
                            "hội an toàn</h2><ul><li>Chỉ kết bạn với người bạn "
                            "biết ngoài đời. Tài khoản giả mạo người quen, cán "
                            "bộ, người nổi tiếng rất phổ biến.</li><li>Để chế độ "
                            "“Bạn bè” cho những bài đăng có thông tin về gia "
                            "đình, con cái.</li><li>Tránh xa các nhóm “việc nhẹ "
                            "lương cao”, “làm nhiệm vụ nhận hoa hồng”, “lấy lại "
                            "tiền bị lừa” – đều là lừa đảo.</li><li>Trước khi "
                            "chia sẻ tin tức, hãy kiểm tra nguồn. Tin giả gây "
                            "hoang mang trong làng và người đăng, chia sẻ có thể "
                            "bị xử phạt.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Khi bị lừa: làm ngay bốn việc",
                            "text": (
                                "<ol><li><b>Gọi ngay tổng đài ngân hàng</b> (số "
                                "in trên thẻ hoặc trong ứng dụng) để khoá tài "
                                "khoản, khoá thẻ và đề nghị phong toả giao dịch. "
                                "Báo càng sớm, càng có cơ hội giữ lại "
                                "tiền.</li><li><b>Đổi mật khẩu</b> Zalo, "
                                "Facebook, email, ứng dụng ngân hàng; đăng xuất "
                                "khỏi thiết bị lạ; báo cho người thân biết tài "
                                "khoản của mình có thể đã bị "
                                "chiếm.</li><li><b>Trình báo công an</b>: đến "
                                "công an xã gần nhất; trường hợp khẩn cấp gọi "
                                "<b>113</b>. Mang theo bằng chứng: ảnh chụp tin "
                                "nhắn, số điện thoại, số tài khoản đã chuyển "
                                "tiền, biên lai giao dịch.</li><li><b>Không tin "
                                "ai hứa “lấy lại tiền” nếu trả phí</b>: đó là "
                                "lần lừa thứ hai.</li></ol><p>Cuộc gọi, tin nhắn "
                                "có dấu hiệu lừa đảo có thể phản ánh miễn phí "
                                "tới tổng đài <b>156</b> hoặc <b>5656</b>.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Người có uy tín là “tấm khiên” của làng",
                            "text": (
                                "<p>Bà con thường hỏi trưởng thôn, già làng "
                                "trước khi làm việc lạ. Hãy nhắc lại trong các "
                                "buổi họp làng ba điều: không ai được hỏi mã "
                                "OTP; công an không làm việc qua điện thoại; "
                                "nghi ngờ thì dừng lại và hỏi cán bộ xã.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "bai-kiem-tra-cuoi-khoa",
                "title": "Bài kiểm tra cuối khoá",
                "summary": (
                    "Năm câu hỏi về mật khẩu, nhận biết lừa đảo và xử lý khi "
                    "bị lừa. Đạt 70% trở lên để hoàn thành khoá."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<p>Bài kiểm tra gồm 5 câu hỏi về nội dung ba bài "
                            "học trước. Câu nào ghi <b>chọn tất cả đáp án "
                            "đúng</b> thì có thể có nhiều đáp án đúng. Nếu chưa "
                            "đạt, hãy xem lại bài học và làm lại.</p>"
                        ),
                    ),
                    (
                        "quiz",
                        {
                            "title": "Bài kiểm tra cuối khoá",
                            "intro": (
                                "Chọn câu trả lời đúng. Bạn cần đạt 70% để hoàn thành khoá học."
                            ),
                            "draw": 5,
                            "questions": [
                                {
                                    "text": "Mật khẩu nào dưới đây an toàn nhất?",
                                    "kind": "single",
                                    "topic": "Mật khẩu và xác minh 2 bước",
                                    "choices": [
                                        ("BuoiSang7Gio#DiRayCaPhe", True),
                                        ("123456", False),
                                        ("12031990", False),
                                        ("matkhau", False),
                                    ],
                                    "explanation": (
                                        "Cụm mật khẩu dài, ghép từ nhiều từ và "
                                        "có cả chữ hoa, chữ thường, số, ký hiệu "
                                        "thì rất khó đoán. Dãy số quen thuộc hay "
                                        "ngày sinh bị đoán ra rất nhanh."
                                    ),
                                },
                                {
                                    "text": (
                                        "Một người gọi điện xưng là công an, nói "
                                        "bạn liên quan đến vụ án và yêu cầu "
                                        "chuyển tiền vào “tài khoản tạm giữ”. "
                                        "Bạn làm gì?"
                                    ),
                                    "kind": "single",
                                    "topic": "Nhận biết lừa đảo",
                                    "choices": [
                                        (
                                            "Cúp máy, không chuyển tiền và báo cho công an xã",
                                            True,
                                        ),
                                        (("Chuyển tiền ngay để chứng minh mình trong sạch"), False),
                                        ("Cài ứng dụng họ gửi để làm việc trực tuyến", False),
                                    ],
                                    "explanation": (
                                        "Công an không làm việc qua điện thoại, "
                                        "không yêu cầu chuyển tiền và không gửi "
                                        "đường link cài ứng dụng. Đây là chiêu "
                                        "lừa giả danh công an."
                                    ),
                                },
                                {
                                    "text": (
                                        "Những dấu hiệu nào cho thấy một tin "
                                        "nhắn hoặc cuộc gọi có thể là lừa đảo? "
                                        "(Chọn tất cả đáp án đúng)"
                                    ),
                                    "kind": "multiple",
                                    "topic": "Nhận biết lừa đảo",
                                    "choices": [
                                        (
                                            "Thúc giục phải làm ngay, không được nói cho ai biết",
                                            True,
                                        ),
                                        ("Yêu cầu bấm đường link và nhập mã OTP", True),
                                        ("Báo trúng thưởng nhưng phải nộp phí trước", True),
                                        (("Chỉ thông báo lịch họp thôn, không yêu cầu gì"), False),
                                    ],
                                    "explanation": (
                                        "Gây sợ hãi hoặc hám lợi, thúc giục, và "
                                        "đòi tiền, mã OTP hoặc bấm link là ba "
                                        "dấu hiệu chung của lừa đảo. Một thông "
                                        "báo lịch họp không đòi hỏi gì thì không "
                                        "có các dấu hiệu này."
                                    ),
                                },
                                {
                                    "text": "Ai được phép hỏi mã OTP của bạn?",
                                    "kind": "single",
                                    "topic": "Mật khẩu và xác minh 2 bước",
                                    "choices": [
                                        (("Không ai cả – mã OTP chỉ mình bạn được dùng"), True),
                                        ("Nhân viên ngân hàng", False),
                                        ("Cán bộ công an", False),
                                        ("Nhân viên nhà mạng", False),
                                    ],
                                    "explanation": (
                                        "Ngân hàng, công an, nhà mạng không bao "
                                        "giờ hỏi mã OTP. Ai hỏi mã OTP, dù xưng "
                                        "là ai, đều là kẻ lừa đảo."
                                    ),
                                },
                                {
                                    "text": (
                                        "Bạn vừa chuyển tiền cho kẻ lừa đảo. "
                                        "Việc đầu tiên nên làm là gì?"
                                    ),
                                    "kind": "single",
                                    "topic": "Xử lý khi bị lừa",
                                    "choices": [
                                        (
                                            (
                                                "Gọi ngay tổng đài ngân hàng để khoá "
                                                "tài khoản và đề nghị phong toả giao "
                                                "dịch"
                                            ),
                                            True,
                                        ),
                                        ("Chờ vài ngày xem họ có trả lại tiền không", False),
                                        (
                                            (
                                                "Thuê một dịch vụ “lấy lại tiền” "
                                                "trên mạng và trả phí cho họ"
                                            ),
                                            False,
                                        ),
                                    ],
                                    "explanation": (
                                        "Báo ngân hàng càng sớm càng có cơ hội "
                                        "giữ lại tiền. Sau đó trình báo công an "
                                        "xã (khẩn cấp gọi 113). Dịch vụ “lấy lại "
                                        "tiền” có thu phí thường là lần lừa thứ "
                                        "hai."
                                    ),
                                },
                            ]
                            + banks.MORE_QUESTIONS["an-toan-thong-tin"],
                        },
                    ),
                ],
            },
        ],
    },
    {
        "slug": "thuong-mai-dien-tu",
        "title": "Thương mại điện tử cho thanh niên dân tộc thiểu số",
        "topic": "e-commerce",
        "level": "intermediate",
        "language": "vi",
        "pass_mark": 70,
        "summary": (
            "Đưa cà phê, hồ tiêu, thổ cẩm và sản phẩm OCOP của quê mình lên "
            "mạng: chụp ảnh, viết mô tả, bán qua Zalo, Facebook và sàn "
            "thương mại điện tử, nhận tiền bằng mã QR, đóng gói, giao hàng "
            "và ghi sổ sách."
        ),
        "description": (
            "<p>Khoá học dành cho thanh niên dân tộc thiểu số, hộ kinh "
            "doanh, tổ hợp tác và hợp tác xã muốn bán sản phẩm địa phương "
            "qua mạng. Bạn cần biết dùng điện thoại, chụp ảnh và nhắn tin "
            "Zalo (xem khoá <i>Tin học cơ bản</i>).</p><h3>Bạn sẽ học "
            "được</h3><ul><li>Chụp ảnh sản phẩm đẹp bằng điện thoại và viết "
            "mô tả trung thực, hấp dẫn</li><li>Bán hàng qua Zalo, Facebook "
            "và các sàn như Postmart, Shopee</li><li>Giữ uy tín với khách "
            "hàng và xây dựng đánh giá tốt</li><li>Nhận tiền bằng mã VietQR "
            "an toàn, đóng gói và gửi hàng</li><li>Ghi sổ thu chi và hiểu "
            "nghĩa vụ thuế cơ bản của hộ kinh doanh</li></ul>"
        ),
        "lessons": [
            {
                "slug": "anh-dep-mo-ta-ro",
                "title": "Chuẩn bị sản phẩm: ảnh đẹp, mô tả rõ",
                "summary": (
                    "Chọn sản phẩm phù hợp để bán qua mạng, chụp ảnh sản "
                    "phẩm bằng điện thoại và viết mô tả trả lời đủ câu hỏi "
                    "của khách."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Chọn sản phẩm để bán qua mạng</h2><p>Gia Lai có "
                            "nhiều sản phẩm được người mua ở thành phố ưa "
                            "chuộng: cà phê nhân và cà phê rang xay, hồ tiêu, "
                            "mật ong, măng khô, hàng thổ cẩm dệt tay của người "
                            "Jrai, Bahnar. Nhiều sản phẩm đã được công nhận "
                            "<b>OCOP</b> (Chương trình Mỗi xã một sản phẩm), xếp "
                            "hạng từ 3 đến 5 sao. Sản phẩm có OCOP, có nhãn mác "
                            "và hạn sử dụng rõ ràng thì dễ bán qua mạng "
                            "hơn.</p><ul><li>Chọn sản phẩm bạn hiểu rõ và có "
                            "nguồn hàng đều đặn.</li><li>Sản phẩm nên gọn nhẹ, "
                            "bảo quản được lâu, khó hỏng khi vận "
                            "chuyển.</li><li>Với thực phẩm như cà phê, mật ong, "
                            "hồ tiêu, các sàn thường yêu cầu giấy tờ về an toàn "
                            "thực phẩm; hỏi hợp tác xã hoặc cán bộ xã nếu chưa "
                            "rõ.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Chụp ảnh sản phẩm bằng điện thoại</h2><p>Người "
                            "mua qua mạng không cầm được sản phẩm, họ chỉ nhìn "
                            "ảnh. Ảnh tốt là ảnh <b>rõ, thật và đủ "
                            "góc</b>.</p><ul><li><b>Ánh sáng</b>: chụp ban ngày "
                            "gần cửa sổ hoặc ngoài hiên, tránh nắng gắt buổi "
                            "trưa, không dùng đèn flash.</li><li><b>Nền</b>: "
                            "dùng nền đơn giản như tấm vải trơn, mặt bàn gỗ, "
                            "nong tre. Dọn hết đồ lộn xộn xung "
                            "quanh.</li><li><b>Lau ống kính</b> điện thoại trước "
                            "khi chụp; chạm vào sản phẩm trên màn hình để máy "
                            "lấy nét.</li><li><b>Đủ góc</b>: ảnh toàn bộ sản "
                            "phẩm, ảnh cận cảnh (hạt cà phê, hoa văn thổ cẩm), "
                            "ảnh bao bì có nhãn, ảnh đặt cạnh một vật quen thuộc "
                            "để người mua hình dung kích thước.</li><li><b>Ảnh "
                            "kể chuyện</b>: vườn cà phê, người mẹ ngồi dệt bên "
                            "khung cửi giúp khách hiểu sản phẩm đến từ đâu. Nhớ "
                            "xin phép trước khi chụp người khác.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Không chỉnh ảnh quá tay",
                            "text": (
                                "<p>Có thể cắt ảnh và tăng sáng nhẹ, nhưng không "
                                "đổi màu sản phẩm. Khăn thổ cẩm màu đỏ sẫm mà "
                                "ảnh lên đỏ tươi thì khách nhận hàng sẽ thất "
                                "vọng và đánh giá xấu.</p>"
                            ),
                        },
                    ),
                    (
                        "text",
                        (
                            "<h2>Viết mô tả sản phẩm</h2><p>Một mô tả tốt trả "
                            "lời trước những câu khách hay hỏi, để khách không "
                            "phải nhắn hỏi lại:</p><ol><li><b>Tên sản phẩm</b> "
                            "rõ ràng, ví dụ: “Cà phê Robusta rang mộc, xay sẵn, "
                            "gói 500 g”.</li><li><b>Nguồn gốc</b>: trồng hay làm "
                            "ở đâu, ai làm, làm như thế nào.</li><li><b>Thông "
                            "số</b>: khối lượng, kích thước, thành phần hoặc "
                            "chất liệu, ngày sản xuất, hạn sử "
                            "dụng.</li><li><b>Cách dùng và bảo "
                            "quản</b>.</li><li><b>Giá</b>, phí giao hàng, thời "
                            "gian giao, cách đổi trả.</li></ol>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Mô tả mẫu: khăn thổ cẩm",
                            "text": (
                                "<blockquote>Khăn choàng thổ cẩm Jrai dệt tay, "
                                "dài 1,8 m, rộng 40 cm, sợi cotton. Mỗi chiếc do "
                                "chị em trong tổ dệt của làng làm trên khung cửi "
                                "truyền thống, mất khoảng ba ngày. Vì làm hoàn "
                                "toàn bằng tay, hoa văn giữa các chiếc có thể "
                                "khác nhau đôi chút. Giặt tay nhẹ bằng nước "
                                "lạnh, phơi trong bóng râm. Giá 350.000 đồng, "
                                "giao toàn quốc trong 2–5 ngày, đổi hàng trong 7 "
                                "ngày nếu có lỗi dệt.</blockquote><p>Mô tả này "
                                "nói rõ kích thước, chất liệu, câu chuyện làm ra "
                                "sản phẩm, cách bảo quản, giá và cách đổi trả – "
                                "và thành thật về điểm khác nhau của hàng làm "
                                "tay.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "ban-hang-zalo-facebook-va-san",
                "title": "Bán hàng trên Zalo, Facebook và sàn thương mại điện tử",
                "summary": (
                    "Mở cửa hàng trên Zalo, Facebook, bán trên các sàn như "
                    "Postmart, Shopee, và giữ chữ tín với khách qua cách trả "
                    "lời và đánh giá."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Bắt đầu từ Zalo và Facebook</h2><p>Với người "
                            "mới, cách dễ nhất là bán cho người quen và khách "
                            "được giới thiệu qua Zalo, "
                            "Facebook.</p><ul><li><b>Zalo</b>: dùng tài khoản "
                            "kinh doanh (Zalo Business) để có danh mục sản phẩm "
                            "với ảnh, giá, mô tả; khách bấm vào là xem được. "
                            "Đăng nhật ký khi có hàng mới, vào mùa thu "
                            "hoạch.</li><li><b>Facebook</b>: lập một "
                            "<b>Trang</b> riêng cho cửa hàng thay vì bán bằng "
                            "trang cá nhân. Ghi rõ tên cửa hàng, địa chỉ, số "
                            "điện thoại, giờ trả lời tin nhắn.</li><li>Đăng đều "
                            "đặn 2–3 bài mỗi tuần: ảnh sản phẩm, câu chuyện làm "
                            "ra sản phẩm, phản hồi của khách. Có thể phát trực "
                            "tiếp (livestream) lúc hái cà phê, lúc dệt vải để "
                            "khách thấy sản phẩm thật.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Bán trên sàn thương mại điện tử</h2><p>Sàn "
                            "thương mại điện tử là “chợ lớn trên mạng”, nơi "
                            "người mua cả nước tìm hàng. Một số sàn phù hợp với "
                            "nông sản và hàng thủ công:</p><ul><li><a "
                            'href="https://postmart.vn">Postmart.vn</a> của Bưu '
                            "điện Việt Nam: chuyên nông sản, đặc sản, sản phẩm "
                            "OCOP; có thể hỏi bưu điện xã để được hướng dẫn mở "
                            "gian hàng và gửi hàng.</li><li><b>Shopee</b>, "
                            "<b>TikTok Shop</b>, <b>Lazada</b>: rất nhiều người "
                            "mua, cạnh tranh cao, mỗi sàn có quy định riêng về "
                            "phí và đổi trả.</li></ul><p>Để mở gian hàng, thường "
                            "cần: số điện thoại, email, thẻ căn cước, tài khoản "
                            "ngân hàng đứng tên mình; với thực phẩm là giấy tờ "
                            "an toàn thực phẩm. Đọc kỹ mức phí sàn thu trên mỗi "
                            "đơn trước khi đặt giá bán.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Giữ chữ tín: trả lời khách và đánh "
                            "giá</h2><p>Người mua qua mạng không gặp bạn, nên họ "
                            "dựa vào <b>đánh giá</b> của những người mua trước. "
                            "Vài lời khen thật có giá trị hơn nhiều quảng "
                            "cáo.</p><ul><li>Trả lời tin nhắn nhanh, lễ phép, "
                            "nói rõ còn hàng hay hết hàng.</li><li>Giao đúng như "
                            "ảnh và mô tả. Nếu hàng có lỗi, xin lỗi và đổi hoặc "
                            "hoàn tiền.</li><li>Sau khi khách nhận hàng, nhắn "
                            "cảm ơn và nhờ khách đánh giá, gửi ảnh.</li><li>Trả "
                            "lời lịch sự cả những đánh giá chê; người mua sau sẽ "
                            "thấy bạn có trách nhiệm.</li><li>Không mua đánh giá "
                            "giả, không tự khen bằng tài khoản ảo: sàn có thể "
                            "khoá gian hàng và khách sẽ mất lòng tin.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Cùng nhau bán sẽ mạnh hơn",
                            "text": (
                                "<p>Nhiều gia đình cùng làm một sản phẩm nên bán "
                                "chung một gian hàng, một thương hiệu của tổ hợp "
                                "tác hoặc hợp tác xã: hàng đều hơn, đủ số lượng "
                                "cho đơn lớn, và chia việc hợp lý – người chụp "
                                "ảnh, người trả lời khách, người đóng gói.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Cẩn thận với “khách hàng” giả",
                            "text": (
                                "<p>Kẻ gian có thể giả làm khách đặt số lượng "
                                "lớn rồi gửi đường link “nhận tiền”, hoặc giả "
                                "làm nhân viên sàn đòi bạn đóng “phí kích hoạt "
                                "gian hàng”. Không bấm link lạ, không chuyển "
                                "tiền cho ai để “nhận tiền”; chỉ xử lý đơn hàng "
                                "trong ứng dụng chính thức của sàn.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "thanh-toan-qr-giao-hang-va-so-sach",
                "title": "Thanh toán QR, đóng gói, giao hàng và sổ sách",
                "summary": (
                    "Nhận tiền bằng mã VietQR an toàn, đóng gói cà phê, hồ "
                    "tiêu, thổ cẩm, tính giá bán, ghi sổ thu chi và nghĩa vụ "
                    "thuế của hộ kinh doanh."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Nhận tiền bằng mã VietQR</h2><p><b>VietQR</b> "
                            "là chuẩn mã QR chung cho chuyển khoản ngân hàng ở "
                            "Việt Nam. Khách dùng ứng dụng của bất kỳ ngân hàng "
                            "nào quét mã của bạn là tiền chuyển thẳng vào tài "
                            "khoản, không cần gõ số tài khoản.</p><ul><li>Lấy mã "
                            "QR trong ứng dụng ngân hàng của bạn (thường ở mục "
                            "nhận tiền hoặc mã QR của tôi), lưu ảnh để gửi cho "
                            "khách, hoặc in ra dán ở quầy, ở gian hàng hội "
                            "chợ.</li><li>Có thể tạo mã QR kèm sẵn số tiền và "
                            "nội dung, ví dụ “DH015 ca phe 500g”, để dễ đối "
                            "chiếu.</li><li><b>Chỉ giao hàng khi chính ứng dụng "
                            "ngân hàng của bạn báo tiền đã vào.</b> Đừng tin ảnh "
                            "chụp màn hình “chuyển khoản thành công” do khách "
                            "gửi: loại ảnh này làm giả rất dễ.</li><li>Kiểm tra "
                            "mã QR dán ở quầy thường xuyên, để không bị kẻ gian "
                            "dán đè mã khác lên.</li></ul><p>Nhiều khách vẫn "
                            "thích <b>thanh toán khi nhận hàng</b> (COD): nhân "
                            "viên giao hàng thu tiền hộ rồi chuyển lại cho bạn, "
                            "có thu thêm phí.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Đóng gói và giao hàng</h2><ul><li><b>Cà "
                            "phê</b>: đựng trong túi có khoá kéo, với cà phê "
                            "rang nên dùng túi có van một chiều; ghi ngày "
                            "rang.</li><li><b>Hồ tiêu</b>: phơi thật khô, đựng "
                            "túi kín hai lớp để không ẩm mốc và không bay mùi "
                            "sang hàng khác.</li><li><b>Thổ cẩm</b>: gấp gọn, "
                            "bọc túi sạch chống ẩm; có thể kèm tấm thiệp nhỏ kể "
                            "về người dệt và ý nghĩa hoa văn.</li><li>Ghi rõ "
                            "tên, số điện thoại người nhận; dán phiếu gửi hàng "
                            "ngay ngắn; chụp ảnh kiện hàng trước khi gửi để làm "
                            "bằng chứng nếu có khiếu nại.</li></ul><p>Có thể gửi "
                            "hàng qua bưu điện xã, Viettel Post, Giao Hàng Tiết "
                            "Kiệm… hoặc đơn vị vận chuyển do sàn chỉ định. Nên "
                            "so sánh giá cước và thời gian giao.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Tính giá bán cho đúng",
                            "text": (
                                "<p>Một gói cà phê 500 g: nguyên liệu và rang "
                                "xay 60.000 đồng, túi và nhãn 8.000 đồng, hộp và "
                                "băng dính 5.000 đồng. Giả sử sàn thu phí 10% "
                                "giá bán. Nếu bán 110.000 đồng, phí sàn là "
                                "11.000 đồng; bạn còn lại 110.000 − 60.000 − "
                                "8.000 − 5.000 − 11.000 = <b>26.000 đồng</b> mỗi "
                                "gói, chưa tính công làm và thuế. Đừng bỏ sót "
                                "khoản nhỏ nào: nhiều khoản nhỏ cộng lại có thể "
                                "khiến bạn bán lỗ mà không biết.</p>"
                            ),
                        },
                    ),
                    (
                        "text",
                        (
                            "<h2>Ghi sổ thu chi và nghĩa vụ thuế</h2><p>Ghi sổ "
                            "giúp bạn biết mình lãi hay lỗ, sản phẩm nào bán "
                            "chạy, và là căn cứ khi làm việc với cơ quan thuế. "
                            "Mỗi ngày ghi: ngày, nội dung, tiền thu, tiền chi. "
                            "Có thể dùng sổ giấy, bảng tính hoặc ứng dụng sổ bán "
                            "hàng trên điện thoại. Giữ lại hoá đơn mua nguyên "
                            "liệu, phiếu gửi hàng và sao kê ngân "
                            "hàng.</p><ul><li>Khi đã buôn bán thường xuyên, nên "
                            "đăng ký hộ kinh doanh tại UBND xã.</li><li>Từ năm "
                            "2026, hình thức thuế khoán được bỏ; hộ kinh doanh "
                            "tự kê khai thuế theo doanh thu thực tế. Hộ có doanh "
                            "thu dưới mức quy định không phải nộp thuế giá trị "
                            "gia tăng và thuế thu nhập cá nhân, nhưng vẫn cần "
                            "ghi chép doanh thu.</li><li>Khi bán trên các sàn có "
                            "chức năng thanh toán, sàn có thể khấu trừ và nộp "
                            "thay một phần thuế cho người bán.</li><li>Quy định "
                            "về thuế có thể thay đổi: hãy hỏi cơ quan thuế hoặc "
                            "cán bộ xã để biết mức áp dụng cho hộ của "
                            "mình.</li></ul>"
                        ),
                    ),
                ],
            },
            {
                "slug": "bai-kiem-tra-cuoi-khoa",
                "title": "Bài kiểm tra cuối khoá",
                "summary": (
                    "Năm câu hỏi về ảnh và mô tả sản phẩm, sàn thương mại "
                    "điện tử, thanh toán QR và sổ sách. Đạt 70% trở lên để "
                    "hoàn thành khoá."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<p>Bài kiểm tra gồm 5 câu hỏi về nội dung ba bài "
                            "học trước. Câu nào ghi <b>chọn tất cả đáp án "
                            "đúng</b> thì có thể có nhiều đáp án đúng. Nếu chưa "
                            "đạt, hãy xem lại bài học và làm lại.</p>"
                        ),
                    ),
                    (
                        "quiz",
                        {
                            "title": "Bài kiểm tra cuối khoá",
                            "intro": (
                                "Chọn câu trả lời đúng. Bạn cần đạt 70% để hoàn thành khoá học."
                            ),
                            "draw": 5,
                            "questions": [
                                {
                                    "text": (
                                        "Khi chụp ảnh sản phẩm để bán qua mạng, cách nào đúng?"
                                    ),
                                    "kind": "single",
                                    "topic": "Ảnh và mô tả sản phẩm",
                                    "choices": [
                                        (
                                            (
                                                "Chụp ban ngày gần cửa sổ, nền đơn "
                                                "giản, đủ nhiều góc"
                                            ),
                                            True,
                                        ),
                                        ("Chụp ban đêm, bật đèn flash cho sáng", False),
                                        (
                                            "Chỉnh màu thật rực rỡ để sản phẩm đẹp hơn hàng thật",
                                            False,
                                        ),
                                    ],
                                    "explanation": (
                                        "Ánh sáng tự nhiên, nền đơn giản và đủ "
                                        "góc giúp ảnh rõ và thật. Ảnh sai màu so "
                                        "với hàng thật làm khách thất vọng và "
                                        "đánh giá xấu."
                                    ),
                                },
                                {
                                    "text": (
                                        "Một mô tả sản phẩm tốt nên có những "
                                        "thông tin nào? (Chọn tất cả đáp án đúng)"
                                    ),
                                    "kind": "multiple",
                                    "topic": "Ảnh và mô tả sản phẩm",
                                    "choices": [
                                        (
                                            (
                                                "Khối lượng hoặc kích thước, chất "
                                                "liệu hoặc thành phần"
                                            ),
                                            True,
                                        ),
                                        ("Nguồn gốc: làm ở đâu, ai làm", True),
                                        ("Giá, phí giao hàng và cách đổi trả", True),
                                        (
                                            "Lời khen do chủ cửa hàng tự viết bằng tài khoản ảo",
                                            False,
                                        ),
                                    ],
                                    "explanation": (
                                        "Mô tả tốt trả lời trước các câu khách "
                                        "hay hỏi: thông số, nguồn gốc, cách "
                                        "dùng, giá và đổi trả. Đánh giá giả vi "
                                        "phạm quy định của sàn và làm mất lòng "
                                        "tin của khách."
                                    ),
                                },
                                {
                                    "text": (
                                        "Khách gửi ảnh chụp màn hình “chuyển "
                                        "khoản thành công”, nhưng ứng dụng ngân "
                                        "hàng của bạn chưa báo tiền vào. Bạn nên "
                                        "làm gì?"
                                    ),
                                    "kind": "single",
                                    "topic": "Thanh toán, giao hàng và sổ sách",
                                    "choices": [
                                        (
                                            (
                                                "Chờ đến khi ứng dụng ngân hàng của "
                                                "mình báo tiền vào rồi mới giao hàng"
                                            ),
                                            True,
                                        ),
                                        ("Giao hàng ngay vì khách đã gửi ảnh", False),
                                        ("Gửi mã OTP cho khách để họ kiểm tra lại", False),
                                    ],
                                    "explanation": (
                                        "Ảnh chụp màn hình rất dễ làm giả. Chỉ "
                                        "tin thông báo trong chính ứng dụng ngân "
                                        "hàng của bạn, và không bao giờ gửi mã "
                                        "OTP cho ai."
                                    ),
                                },
                                {
                                    "text": (
                                        "Sàn thương mại điện tử Postmart.vn do đơn vị nào vận hành?"
                                    ),
                                    "kind": "single",
                                    "topic": "Bán trên Zalo, Facebook và sàn",
                                    "choices": [
                                        ("Bưu điện Việt Nam", True),
                                        ("Bộ Công an", False),
                                        ("Ngân hàng Nhà nước", False),
                                    ],
                                    "explanation": (
                                        "Postmart.vn là sàn của Bưu điện Việt "
                                        "Nam, chuyên nông sản, đặc sản và sản "
                                        "phẩm OCOP; bưu điện xã có thể hướng dẫn "
                                        "mở gian hàng và nhận gửi hàng."
                                    ),
                                },
                                {
                                    "text": "Vì sao hộ kinh doanh nên ghi sổ thu chi hằng ngày?",
                                    "kind": "single",
                                    "topic": "Thanh toán, giao hàng và sổ sách",
                                    "choices": [
                                        (
                                            (
                                                "Để biết lãi lỗ và có căn cứ khi kê "
                                                "khai, làm việc với cơ quan thuế"
                                            ),
                                            True,
                                        ),
                                        (
                                            "Vì sàn thương mại điện tử yêu cầu gửi sổ mỗi ngày",
                                            False,
                                        ),
                                        (("Không cần ghi vì bán ít thì không ai kiểm tra"), False),
                                    ],
                                    "explanation": (
                                        "Sổ thu chi cho biết bạn lãi hay lỗ, sản "
                                        "phẩm nào bán chạy, và là căn cứ kê khai "
                                        "thuế theo doanh thu thực tế – kể cả khi "
                                        "doanh thu dưới mức phải nộp thuế."
                                    ),
                                },
                            ]
                            + banks.MORE_QUESTIONS["thuong-mai-dien-tu"],
                        },
                    ),
                ],
            },
        ],
    },
    {
        "slug": "tieng-jrai-cho-can-bo",
        "title": "Tiếng Jrai cho cán bộ",
        "topic": "minority-language",
        "level": "beginner",
        "language": "vi",
        "pass_mark": 70,
        "summary": (
            "Chào hỏi, xưng hô, số đếm, từ chỉ thời gian, gia đình, làng và "
            "những câu ngắn dùng khi họp làng, làm dịch vụ công; cùng những "
            "điều cần biết để tôn trọng phong tục của đồng bào Jrai ở Gia "
            "Lai."
        ),
        "description": (
            "<p>Khoá học dành cho cán bộ, công chức, giáo viên, nhân viên y "
            "tế và những ai làm việc ở các làng Jrai tại Gia Lai. Khoá học "
            "dạy bằng tiếng Việt, giới thiệu những từ và câu tiếng Jrai cơ "
            "bản nhất cùng cách ứng xử phù hợp với phong tục của bà "
            "con.</p><h3>Bạn sẽ học được</h3><ul><li>Chào hỏi, xưng hô lễ "
            "phép và tự giới thiệu</li><li>Số đếm từ 1 đến 10, từ chỉ thời "
            "gian, gia đình và làng</li><li>Những câu ngắn dùng khi họp làng "
            "và hướng dẫn bà con làm thủ tục</li><li>Tôn trọng phong tục: "
            "nhà rông, cồng chiêng, lễ cúng, dấu hiệu "
            "kiêng</li></ul><p><i>Lưu ý: tiếng Jrai có nhiều phương ngữ, "
            "cách nói và cách đọc khác nhau giữa các vùng. Từ trong khoá học "
            "được viết bằng chữ Jrai (chữ cái Latinh). Đây chỉ là bước khởi "
            "đầu: hãy luyện nghe, luyện nói với người Jrai ở nơi bạn công "
            "tác và nhờ họ sửa cho đúng.</i></p>"
        ),
        "lessons": [
            {
                "slug": "chao-hoi-va-xung-ho",
                "title": "Chào hỏi và xưng hô lịch sự",
                "summary": (
                    "Vài nét về tiếng Jrai, cách gọi người theo quan hệ gia "
                    "đình, ngôi xưng kâo – ih và những câu chào hỏi, tự giới "
                    "thiệu đầu tiên."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Vài nét về tiếng Jrai</h2><p>Người Jrai (trong "
                            "danh mục các dân tộc Việt Nam ghi là Gia Rai) sống "
                            "đông nhất ở Gia Lai, ngoài ra còn ở Đắk Lắk và một "
                            "số nơi khác ở Tây Nguyên. Tiếng Jrai thuộc ngữ hệ "
                            "Nam Đảo, gần với tiếng Ê-đê, Chăm, Raglai, Chu-ru; "
                            "vì vậy tiếng Jrai không có thanh điệu như tiếng "
                            "Việt, và có nhiều từ nhiều âm tiết. Chữ Jrai dùng "
                            "chữ cái Latinh, có thêm một số chữ và dấu riêng như "
                            "<i>ƀ, č, ñ, ĭ, ŏ</i>. Đài phát thanh, truyền hình "
                            "có chương trình bằng tiếng Jrai – nghe thường xuyên "
                            "là một cách luyện tai rất tốt.</p><p>Người Jrai "
                            "theo chế độ <b>mẫu hệ</b>: con cái mang họ của mẹ, "
                            "khi cưới thì người con trai thường về ở nhà vợ. Một "
                            "số họ phổ biến của người Jrai: Ksor, Rơ Châm, Siu, "
                            "Rơ Mah, Nay, Kpă, Rah Lan. Tên của nhiều phụ nữ có "
                            "chữ <i>H’</i> ở đầu, ví dụ H’Nương. Hiểu điều này "
                            "giúp bạn gọi tên và ghi hồ sơ cho đúng.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Xưng hô trong gia đình và cộng "
                            "đồng</h2><p>Người Jrai thường gọi nhau theo quan hệ "
                            "gia đình, kể cả với người không có họ hàng. Muốn "
                            "gọi ai đó, đặt tiếng <b>Ơ</b> trước từ xưng hô hoặc "
                            "trước tên, giống tiếng “ơi” khi gọi người trong "
                            "tiếng Việt, ví dụ <i>Ơ Hồng!</i> – “Hồng "
                            "ơi!”.</p><ul><li><b>ama</b> – cha; dùng để gọi "
                            "người đàn ông đáng tuổi cha, chú: <i>Ơ "
                            "ama!</i></li><li><b>amĭ</b> – mẹ; dùng để gọi người "
                            "phụ nữ đáng tuổi mẹ, cô: <i>Ơ "
                            "amĭ!</i></li><li><b>ayong</b> – anh; <b>amai</b> – "
                            "chị; <b>adơi</b> – em</li><li><b>ơi</b> – ông; "
                            "<b>yă</b> – bà. Khi nói về người cao tuổi, thường "
                            "đặt trước tên để tỏ lòng kính trọng, ví dụ <i>ơi "
                            "Kpă …</i>, <i>yă H’…</i></li></ul><p>Ngôi xưng cơ "
                            "bản: <b>kâo</b> – tôi; <b>ih</b> – anh, chị, bạn "
                            "(người đang nói chuyện với mình). Từ chỉ người sở "
                            "hữu đứng sau: <i>sang kâo</i> – nhà tôi, <i>sang "
                            "ih</i> – nhà anh (chị).</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Những câu đầu tiên</h2><ul><li><b>Ơ ama! / Ơ "
                            "amĭ!</b> – Chào bác! (gọi người lớn tuổi một cách "
                            "lễ phép)</li><li><b>Anăn kâo lĕ …</b> – Tên tôi là "
                            "…</li><li><b>Kâo jing nai pơtô.</b> – Tôi là giáo "
                            "viên. (Thay <i>nai pơtô</i> bằng công việc của "
                            "bạn.)</li><li><b>Pơpă sang ih?</b> – Nhà anh (chị) "
                            "ở đâu?</li><li><b>Ƀu ataih ôh.</b> – Không xa. Cấu "
                            "trúc <i>ƀu … ôh</i> dùng để nói “không "
                            "…”.</li><li><b>Ka ôh.</b> – Chưa.</li></ul><p>Để "
                            "cảm ơn, nhiều nơi nói <b>bơni</b>; hãy hỏi bà con "
                            "cách cảm ơn quen dùng ở làng mình. Khi gặp người "
                            "lớn tuổi, hãy chào trước, nói chậm, nhìn người đối "
                            "diện với thái độ tôn trọng; bắt tay nhẹ nhàng nếu "
                            "người đó đưa tay ra.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Học phát âm với người bản ngữ",
                            "text": (
                                "<p>Chữ viết chỉ giúp bạn ghi nhớ. Nhiều âm "
                                "tiếng Jrai không có trong tiếng Việt, nhất là "
                                "các phụ âm ghép ở đầu từ như <i>kl-</i>, "
                                "<i>pl-</i>, <i>hr-</i>. Cách đọc cũng khác nhau "
                                "giữa các vùng: ví dụ số 3 có nơi nói "
                                "<i>klâo</i>, có nơi nói gần như <i>tlâo</i>. "
                                "Hãy nhờ một người Jrai ở làng – cán bộ người "
                                "Jrai, giáo viên, đoàn viên thanh niên – đọc mẫu "
                                "và ghi âm lại bằng điện thoại để nghe nhiều "
                                "lần. Đừng ngại nói sai: bà con thường rất quý "
                                "người chịu khó học tiếng của mình.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "so-dem-thoi-gian-gia-dinh-va-lang",
                "title": "Số đếm, thời gian, gia đình và làng",
                "summary": (
                    "Đếm từ 1 đến 10, nói số người, số ngày, số tiền; các từ "
                    "chỉ thời gian, gia đình, làng và những nơi bà con hay "
                    "đến."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Số đếm từ 1 đến 10</h2><ul><li>1 – "
                            "<b>sa</b></li><li>2 – <b>dua</b></li><li>3 – "
                            "<b>klâo</b></li><li>4 – <b>pă</b></li><li>5 – "
                            "<b>rơma</b></li><li>6 – <b>nam</b></li><li>7 – "
                            "<b>tơjuh</b></li><li>8 – <b>sapăn</b></li><li>9 – "
                            "<b>duapăn</b></li><li>10 – "
                            "<b>pluh</b></li></ul><p>Chú ý: 8 (<i>sapăn</i>) và "
                            "9 (<i>duapăn</i>) dễ nhầm – <i>sapăn</i> bắt đầu "
                            "bằng <i>sa</i>, <i>duapăn</i> bắt đầu bằng "
                            "<i>dua</i>. Số tròn chục ghép với <i>pluh</i>, ví "
                            "dụ <i>dua pluh</i> là 20. <b>rơbâo</b> nghĩa là "
                            "“nghìn”; báo, đài tiếng Jrai thường nói số tiền như "
                            "<i>500 rơbâo prăk</i> – 500 nghìn đồng "
                            "(<i>prăk</i>: tiền).</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Đếm người và nói thời gian</h2><p>Khi đếm "
                            "người, tiếng Jrai dùng từ <b>čô</b> (giống “người”, "
                            "“cái” trong tiếng Việt): <i>sa čô mơnuih</i> – một "
                            "người; <i>dua čô ană</i> – hai người con; <i>nam "
                            "čô</i> – sáu người.</p><ul><li><b>hrơi</b> – ngày; "
                            "<b>hrơi anai</b> – hôm nay (<i>anai</i>: "
                            "này)</li><li><b>blan</b> – tháng; <b>thun</b> – "
                            "năm, cũng dùng để nói tuổi: <i>10 thun</i> – 10 "
                            "tuổi</li><li><b>mông</b> – giờ; <b>mơguah</b> – "
                            "buổi sáng: <i>4 mông mơguah</i> – 4 giờ "
                            "sáng</li><li>Số đứng trước từ chỉ thời gian: "
                            "<i>klâo hrơi</i> – ba ngày</li></ul><p>Khi hẹn lịch "
                            "họp, nhiều bà con quen tính theo buổi và theo mùa "
                            "vụ hơn là theo thứ trong tuần. Nên nói cả hai: giờ "
                            "theo đồng hồ và mốc quen thuộc, ví dụ “sáng thứ "
                            "Bảy, 8 giờ, trước khi lên rẫy”; rồi nhờ trưởng thôn "
                            "nhắc lại bằng tiếng Jrai trên loa hoặc nhóm Zalo "
                            "của làng.</p>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Gia đình và làng</h2><ul><li><b>sang anŏ</b> – "
                            "gia đình; <b>sang</b> – nhà</li><li><b>ama</b> – "
                            "cha; <b>amĭ</b> – mẹ; <b>ană</b> – con; <b>ană "
                            "rơkơi</b> – con trai; <b>ană bơnai</b> – con gái; "
                            "<b>rơkơi bơnai</b> – vợ chồng</li><li><b>plơi</b> – "
                            "làng; <b>ană plơi</b> – dân làng; <b>tha plơi</b> – "
                            "già làng</li><li><b>mơnuih</b> – người; <b>ia</b> – "
                            "nước, sông suối (như trong tên Ia Grai, Ia "
                            "Pa)</li><li><b>hma</b> – rẫy</li><li><b>sang "
                            "hră</b> – trường học; <b>nai pơtô</b> – giáo "
                            "viên</li><li><b>sang ia jrao</b> – bệnh viện, trạm "
                            "y tế; <b>nai ia jrao</b> – y sĩ, bác "
                            "sĩ</li><li><b>să</b> – xã; <b>tơring čar</b> – "
                            "tỉnh</li></ul><p>Ở nhiều làng, bên cạnh trưởng thôn "
                            "do dân bầu còn có <b>già làng</b> – người cao tuổi, "
                            "hiểu phong tục và được cả làng kính trọng. Khi đến "
                            "làm việc, nên gặp và hỏi ý kiến cả hai.</p>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "example",
                            "title": "Luyện tập: một câu hỏi dùng được ngay",
                            "text": (
                                "<p><b>Sang anŏ ih mâo hơdum čô mơnuih?</b> – "
                                "Gia đình anh (chị) có mấy người?</p><p>Câu trả "
                                "lời có thể là <i>Nam čô</i> – sáu người. Khi đi "
                                "cùng trưởng thôn rà soát danh sách hộ, hãy thử "
                                "hỏi câu này và đếm bằng tiếng Jrai, rồi nhờ bà "
                                "con sửa cách đọc. Có nơi nói và viết "
                                "<i>hơmâo</i> thay cho <i>mâo</i> (có) – hãy nói "
                                "theo cách người ở làng bạn quen dùng. Ghi từ "
                                "mới vào sổ tay, kèm cách đọc theo tai bạn "
                                "nghe.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "hop-lang-dich-vu-cong-va-phong-tuc",
                "title": "Họp làng, dịch vụ công và tôn trọng phong tục",
                "summary": (
                    "Kết hợp vài câu tiếng Jrai với tiếng Việt dễ hiểu và "
                    "người phiên dịch; hướng dẫn bà con làm thủ tục; ứng xử "
                    "đúng với nhà rông, cồng chiêng, lễ cúng."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<h2>Nói chuyện trong cuộc họp làng</h2><p>Với vốn "
                            "tiếng Jrai ban đầu, bạn chưa thể tự điều hành cả "
                            "cuộc họp. Cách làm hiệu quả là kết "
                            "hợp:</p><ul><li><b>Mở đầu bằng tiếng Jrai</b>: chào "
                            "bà con (<i>Ơ ama, Ơ amĭ …</i>), tự giới thiệu "
                            "(<i>Anăn kâo lĕ …</i>). Vài câu ngắn đã cho thấy sự "
                            "tôn trọng.</li><li><b>Nói tiếng Việt chậm, câu "
                            "ngắn</b>, mỗi câu một ý; tránh từ khó và chữ viết "
                            "tắt. Nói “thẻ bảo hiểm y tế”, “thẻ căn cước” thay "
                            "vì “BHYT”, “CCCD”.</li><li><b>Nhờ người phiên "
                            "dịch</b> là người Jrai được bà con tin cậy: cán bộ "
                            "người Jrai, người có uy tín, giáo viên. Gặp người "
                            "phiên dịch trước cuộc họp để thống nhất cách nói "
                            "những từ khó.</li><li><b>Dùng vật thật và ví "
                            "dụ</b>: cầm thẻ căn cước, mở ứng dụng VNeID trên "
                            "điện thoại, đưa tờ khai mẫu.</li><li><b>Hỏi lại</b> "
                            "để chắc bà con hiểu: mời một người nhắc lại bằng "
                            "lời của mình.</li></ul><h2>Hướng dẫn bà con làm thủ "
                            "tục</h2><p>Ở bộ phận một cửa của xã, nhiều người "
                            "lớn tuổi ngại nói tiếng Việt. Những việc nhỏ giúp "
                            "họ yên tâm:</p><ul><li>Chào bằng cách xưng hô đúng: "
                            "<i>Ơ ama</i>, <i>Ơ amĭ</i>.</li><li>Ghi họ tên đúng "
                            "theo giấy tờ tuỳ thân, giữ đúng chữ và dấu của tên "
                            "Jrai như <i>Rơ Châm</i>, <i>Ksor</i>, "
                            "<i>H’</i>.</li><li>Dùng số đếm tiếng Jrai khi nói "
                            "số giấy tờ, số ngày hẹn trả kết quả, ví dụ <i>klâo "
                            "hrơi</i> – ba ngày.</li><li>Chỉ vào từng giấy tờ "
                            "khi nói tên của nó; không nói lớn tiếng hay tỏ ra "
                            "sốt ruột.</li></ul>"
                        ),
                    ),
                    (
                        "text",
                        (
                            "<h2>Tôn trọng phong tục</h2><ul><li><b>Nhà rông</b> "
                            "là nơi sinh hoạt chung, hội họp và tổ chức lễ hội "
                            "của làng. Ở Gia Lai, nhà rông gắn nhiều với người "
                            "Bahnar; nhiều làng Jrai có nhà rông văn hoá hoặc "
                            "nhà sinh hoạt cộng đồng. Hỏi già làng, trưởng thôn "
                            "trước khi vào; không tự ý sờ, chụp ảnh hay di "
                            "chuyển đồ thờ cúng, vật trang trí.</li><li><b>Cồng "
                            "chiêng</b> gắn với đời sống tâm linh của đồng bào; "
                            "Không gian văn hoá Cồng chiêng Tây Nguyên đã được "
                            "UNESCO công nhận là di sản văn hoá phi vật thể của "
                            "nhân loại. Không tự ý đánh thử cồng "
                            "chiêng.</li><li><b>Lễ cúng, lễ hội</b> (<i>ngă "
                            "yang</i>): lễ bỏ mả (Pơthi), lễ cúng bến nước, lễ "
                            "mừng lúa mới… Khi làng đang có lễ, nên dời lịch "
                            "họp, lịch đến thăm hộ. Nếu được mời, hãy dự với "
                            "thái độ trân trọng và xin phép trước khi chụp ảnh, "
                            "quay phim.</li><li><b>Dấu hiệu kiêng</b>: ở nhiều "
                            "làng, khi trong nhà có người ốm, có sản phụ mới "
                            "sinh hoặc đang cúng, gia đình treo cành lá hay một "
                            "dấu hiệu ở cầu thang, cửa nhà để báo người ngoài "
                            "không vào. Hỏi trưởng thôn về các dấu hiệu kiêng "
                            "của làng mình.</li><li><b>Rượu cần</b> "
                            "(<i>tơpai</i>): được mời uống là được đón tiếp. Có "
                            "thể nhận một chút theo lời mời của chủ nhà; nếu "
                            "đang làm nhiệm vụ hoặc phải lái xe, hãy cảm ơn và "
                            "xin phép từ chối khéo.</li></ul>"
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Không hứa điều mình không chắc",
                            "text": (
                                "<p>Lời hứa của cán bộ được bà con nhớ rất lâu. "
                                "Nếu chưa chắc về một chính sách, hãy nói thật "
                                "là sẽ hỏi lại, rồi quay lại trả lời đúng hẹn. "
                                "Giữ chữ tín là cách tôn trọng bà con tốt "
                                "nhất.</p>"
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "bai-kiem-tra-cuoi-khoa",
                "title": "Bài kiểm tra cuối khoá",
                "summary": (
                    "Năm câu hỏi về số đếm, từ vựng, xưng hô và phong tục. "
                    "Đạt 70% trở lên để hoàn thành khoá."
                ),
                "body": [
                    (
                        "text",
                        (
                            "<p>Bài kiểm tra gồm 5 câu hỏi về nội dung ba bài "
                            "học trước. Câu nào ghi <b>chọn tất cả đáp án "
                            "đúng</b> thì có thể có nhiều đáp án đúng. Sau khi "
                            "hoàn thành, hãy tiếp tục luyện nói với bà con ở "
                            "làng – đó mới là phần quan trọng nhất của việc học "
                            "tiếng.</p>"
                        ),
                    ),
                    (
                        "quiz",
                        {
                            "title": "Bài kiểm tra cuối khoá",
                            "intro": (
                                "Chọn câu trả lời đúng. Bạn cần đạt 70% để hoàn thành khoá học."
                            ),
                            "draw": 5,
                            "questions": [
                                {
                                    "text": "Số 5 trong tiếng Jrai là gì?",
                                    "kind": "single",
                                    "topic": "Số đếm, thời gian, gia đình và làng",
                                    "choices": [
                                        ("rơma", True),
                                        ("pă", False),
                                        ("nam", False),
                                        ("pluh", False),
                                    ],
                                    "explanation": (
                                        "Đếm từ 1 đến 10: sa, dua, klâo, pă, "
                                        "rơma, nam, tơjuh, sapăn, duapăn, pluh. "
                                        "Vậy 5 là rơma; pă là 4, nam là 6, pluh "
                                        "là 10."
                                    ),
                                },
                                {
                                    "text": "Từ “plơi” trong tiếng Jrai có nghĩa là gì?",
                                    "kind": "single",
                                    "topic": "Số đếm, thời gian, gia đình và làng",
                                    "choices": [
                                        ("Làng", True),
                                        ("Nhà", False),
                                        ("Nước", False),
                                        ("Rẫy", False),
                                    ],
                                    "explanation": (
                                        "plơi là làng (ană plơi – dân làng, tha "
                                        "plơi – già làng). Nhà là sang, nước là "
                                        "ia, rẫy là hma."
                                    ),
                                },
                                {
                                    "text": (
                                        "Muốn gọi một người đàn ông lớn tuổi một "
                                        "cách lễ phép, bạn nói thế nào?"
                                    ),
                                    "kind": "single",
                                    "topic": "Chào hỏi và xưng hô",
                                    "choices": [
                                        ("Ơ ama!", True),
                                        ("Ơ adơi!", False),
                                        ("Ka ôh!", False),
                                    ],
                                    "explanation": (
                                        "Đặt Ơ trước từ xưng hô để gọi; ama là "
                                        "cha, dùng để gọi người đàn ông đáng "
                                        "tuổi cha, chú. adơi là em; Ka ôh nghĩa "
                                        "là “chưa”."
                                    ),
                                },
                                {
                                    "text": (
                                        "Những việc nào thể hiện sự tôn trọng "
                                        "phong tục khi đến làm việc ở làng Jrai? "
                                        "(Chọn tất cả đáp án đúng)"
                                    ),
                                    "kind": "multiple",
                                    "topic": "Họp làng và phong tục",
                                    "choices": [
                                        (
                                            "Hỏi già làng, trưởng thôn trước khi vào nhà rông",
                                            True,
                                        ),
                                        ("Xin phép trước khi chụp ảnh lễ cúng", True),
                                        ("Dời lịch họp khi làng đang có lễ", True),
                                        ("Tự ý đánh thử cồng chiêng cho quen", False),
                                    ],
                                    "explanation": (
                                        "Hỏi trước khi vào nhà rông, xin phép "
                                        "trước khi chụp ảnh và tránh họp vào "
                                        "ngày làng có lễ là cách tôn trọng bà "
                                        "con. Cồng chiêng gắn với đời sống tâm "
                                        "linh, không được tự ý đánh thử."
                                    ),
                                },
                                {
                                    "text": (
                                        "Người Jrai theo chế độ mẫu hệ. Điều đó có nghĩa là gì?"
                                    ),
                                    "kind": "single",
                                    "topic": "Chào hỏi và xưng hô",
                                    "choices": [
                                        ("Con cái mang họ của mẹ", True),
                                        ("Con cái mang họ của cha", False),
                                        ("Chỉ phụ nữ mới được đi họp làng", False),
                                    ],
                                    "explanation": (
                                        "Theo chế độ mẫu hệ, con cái mang họ mẹ "
                                        "và khi cưới người con trai thường về ở "
                                        "nhà vợ. Biết điều này giúp ghi họ tên, "
                                        "hồ sơ gia đình cho đúng."
                                    ),
                                },
                            ]
                            + banks.MORE_QUESTIONS["tieng-jrai-cho-can-bo"],
                        },
                    ),
                ],
            },
        ],
    },
    DIGITAL_TRANSFORMATION,
]
