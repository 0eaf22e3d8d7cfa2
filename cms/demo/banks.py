"""The rest of each demo final quiz's question bank (the first questions are in `content`).

Every question asks about something its course's lessons teach; `topic` names the lesson to
review (learners see it when they answer wrong, without being told which question was
wrong), `explanation` is shown with the correct answers once they pass. Each attempt draws
5 questions, so a bank of 20 makes guessing by repeating the quiz useless.
"""


def q(text, choices, *, topic, explanation, kind="single"):
    return {
        "text": text,
        "kind": kind,
        "topic": topic,
        "choices": choices,
        "explanation": explanation,
    }


PHONE = "Điện thoại và máy tính"
FILES = "Tệp, Internet, Zalo và email"
PUBLIC = "Dịch vụ công trực tuyến và VNeID"

TIN_HOC_CO_BAN = [
    q(
        "Trên điện thoại, thao tác “chạm và giữ” một biểu tượng dùng để làm gì?",
        [
            ("Hiện thêm lựa chọn như xoá, di chuyển, chia sẻ", True),
            ("Tắt nguồn điện thoại", False),
            ("Phóng to ảnh và chữ", False),
            ("Gọi số khẩn cấp", False),
        ],
        topic=PHONE,
        explanation=(
            "Giữ ngón tay khoảng một giây trên biểu tượng sẽ hiện thêm lựa chọn. Muốn phóng to "
            "thì mở hai ngón tay ra trên màn hình."
        ),
    ),
    q(
        "Chữ trên điện thoại quá nhỏ, khó đọc. Bạn chỉnh ở đâu?",
        [
            ("Cài đặt → Màn hình, tăng cỡ chữ", True),
            ("Mở CH Play và tải ứng dụng phóng chữ", False),
            ("Zalo → Cloud của tôi", False),
            ("Danh bạ → Thêm liên hệ", False),
        ],
        topic=PHONE,
        explanation="Vào Cài đặt → Màn hình để tăng cỡ chữ; không cần cài thêm ứng dụng nào.",
    ),
    q(
        "Ở nhà có Wi-Fi. Vì sao nên dùng Wi-Fi thay cho 4G khi xem video hay tải ứng dụng?",
        [
            ("Để tiết kiệm tiền cước dữ liệu di động", True),
            ("Vì dùng 4G thì không xem được video", False),
            ("Vì Wi-Fi giúp pin sạc nhanh hơn", False),
            ("Vì Wi-Fi tự cập nhật phần mềm cho máy", False),
        ],
        topic=PHONE,
        explanation=(
            "Dữ liệu di động (3G, 4G) tính tiền theo gói cước; Wi-Fi ở nhà, ở trụ sở xã không "
            "tính theo dung lượng dùng, nên xem video, tải ứng dụng bằng Wi-Fi đỡ tốn tiền."
        ),
    ),
    q(
        "Với kiểu gõ Telex, gõ “dd” sẽ ra chữ gì?",
        [("đ", True), ("d", False), ("ơ", False), ("á", False)],
        topic=PHONE,
        explanation="Trong kiểu gõ Telex: dd thành đ, ow thành ơ, as thành á.",
    ),
    q(
        "Cách tắt máy tính Windows ở trụ sở xã cho đúng là gì?",
        [
            ("Bấm nút Start → Nguồn → Tắt máy", True),
            ("Rút dây điện ra khỏi ổ cắm", False),
            ("Tắt màn hình là đủ", False),
            ("Đóng hết cửa sổ rồi rút điện", False),
        ],
        topic=PHONE,
        explanation=(
            "Tắt máy bằng Start → Nguồn → Tắt máy. Rút điện khi máy đang chạy có thể làm mất "
            "dữ liệu."
        ),
    ),
    q(
        "Tệp tên “Danh sach ho thon 3.xlsx” là loại tệp gì?",
        [
            ("Bảng tính Excel", True),
            ("Văn bản Word", False),
            ("Ảnh chụp", False),
            ("Tệp cài ứng dụng Android", False),
        ],
        topic=FILES,
        explanation=(
            "Đuôi tên tệp cho biết loại tệp: .xlsx là bảng tính Excel, .docx là văn bản Word, "
            ".pdf là tài liệu PDF, .jpg là ảnh, .apk là tệp cài ứng dụng Android."
        ),
    ),
    q(
        "Trên máy tính Windows, tệp tải từ Internet thường nằm trong thư mục nào?",
        [
            ("Downloads (Tải xuống)", True),
            ("Thùng rác", False),
            ("Thư mục Windows", False),
            ("Không lưu ở đâu cả", False),
        ],
        topic=FILES,
        explanation="Mở File Explorer (thư mục màu vàng) rồi vào Downloads (Tải xuống).",
    ),
    q(
        "“Cloud của tôi” trong Zalo dùng để làm gì?",
        [
            ("Lưu tạm tài liệu và chuyển giữa điện thoại và máy tính", True),
            ("Gọi video cho cả nhóm", False),
            ("Khoá tài khoản Zalo", False),
            ("Tải ứng dụng mới", False),
        ],
        topic=FILES,
        explanation=(
            "Gửi tài liệu vào Cloud của tôi trên điện thoại, rồi mở Zalo trên máy tính "
            "(hoặc chat.zalo.me) để lấy ra, và ngược lại."
        ),
    ),
    q(
        "Một email gửi cơ quan nên có những phần nào? (Chọn tất cả đáp án đúng)",
        [
            ("Địa chỉ người nhận", True),
            ("Tiêu đề ngắn, rõ nội dung", True),
            ("Phần nội dung và tệp đính kèm nếu có", True),
            ("Mật khẩu email của bạn", False),
        ],
        kind="multiple",
        topic=FILES,
        explanation=(
            "Email gồm địa chỉ người nhận, tiêu đề, nội dung và tệp đính kèm. Không bao giờ "
            "gửi mật khẩu của mình cho ai."
        ),
    ),
    q(
        "Bạn cần chụp một tờ giấy tờ để gửi cho xã qua Zalo. Chụp thế nào là đúng?",
        [
            ("Đặt giấy nằm phẳng, nơi đủ sáng, chụp thẳng từ trên xuống", True),
            ("Chụp nghiêng cho nhanh, xã tự đọc được", False),
            ("Chụp trong phòng tối và bật đèn flash", False),
            ("Chụp thật gần, chỉ lấy phần có chữ ký", False),
        ],
        topic=FILES,
        explanation="Giấy phẳng, đủ sáng, chụp thẳng từ trên xuống thì chữ mới rõ và đọc được.",
    ),
    q(
        "Tài khoản định danh điện tử VNeID mức 2 được đăng ký ở đâu?",
        [
            ("Tại công an cấp xã, thường cùng lúc làm thẻ căn cước", True),
            ("Qua đường link do người lạ gửi", False),
            ("Qua cuộc gọi của người xưng là công an", False),
            ("Tại cửa hàng bán điện thoại", False),
        ],
        topic=PUBLIC,
        explanation=(
            "Tài khoản mức 2 đăng ký tại công an cấp xã, có ảnh chân dung và vân tay. Công an "
            "không gọi điện để “kích hoạt hộ” hay “nâng cấp mức 2”."
        ),
    ),
    q(
        "Khi kích hoạt VNeID, “số định danh cá nhân” bạn nhập là số nào?",
        [
            ("12 số in trên thẻ căn cước", True),
            ("Số điện thoại của bạn", False),
            ("Mã OTP nhận qua tin nhắn", False),
            ("Số sổ hộ khẩu cũ", False),
        ],
        topic=PUBLIC,
        explanation="Số định danh cá nhân là dãy 12 số trên thẻ căn cước của bạn.",
    ),
    q(
        "Mã bảo vệ (passcode) 6 số của ứng dụng VNeID nên giữ thế nào?",
        [
            ("Tự đặt, không cho ai biết", True),
            ("Đưa cán bộ thôn giữ hộ cho khỏi quên", False),
            ("Dùng ngày sinh cho dễ nhớ", False),
            ("Viết lên ốp lưng điện thoại", False),
        ],
        topic=PUBLIC,
        explanation=(
            "Mật khẩu và mã bảo vệ VNeID là chìa khoá giấy tờ tuỳ thân của bạn trên điện thoại: "
            "chỉ mình bạn được biết."
        ),
    ),
    q(
        "Khi điền tờ khai trên Cổng Dịch vụ công quốc gia, nhiều thông tin được tự điền từ đâu?",
        [
            ("Từ Cơ sở dữ liệu quốc gia về dân cư", True),
            ("Từ trang Facebook của bạn", False),
            ("Từ danh bạ điện thoại", False),
            ("Từ tin nhắn Zalo", False),
        ],
        topic=PUBLIC,
        explanation=(
            "Thông tin được lấy từ Cơ sở dữ liệu quốc gia về dân cư; bạn vẫn phải kiểm tra lại "
            "cho đúng trước khi nộp."
        ),
    ),
    q(
        "Nhóm thủ tục liên thông cho trẻ dưới 6 tuổi gồm những việc nào? (Chọn tất cả đáp án đúng)",
        [
            ("Đăng ký khai sinh", True),
            ("Đăng ký thường trú", True),
            ("Cấp thẻ bảo hiểm y tế", True),
            ("Cấp giấy phép lái xe", False),
        ],
        kind="multiple",
        topic=PUBLIC,
        explanation=(
            "Một hồ sơ liên thông làm cùng lúc ba việc: đăng ký khai sinh, đăng ký thường trú "
            "và cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi."
        ),
    ),
]

PASSWORD = "Mật khẩu và xác minh 2 bước"
SCAMS = "Nhận biết lừa đảo"
DATA = "Bảo vệ dữ liệu cá nhân"
AFTER = "Xử lý khi bị lừa"

AN_TOAN_THONG_TIN = [
    q(
        "Mật khẩu nên dài từ bao nhiêu ký tự trở lên?",
        [("12 ký tự", True), ("4 ký tự", False), ("6 ký tự", False), ("8 ký tự", False)],
        topic=PASSWORD,
        explanation=(
            "Mật khẩu nên dài từ 12 ký tự trở lên; một cụm mật khẩu ghép vài từ của riêng bạn, "
            "thêm số và ký hiệu vừa dài vừa dễ nhớ."
        ),
    ),
    q(
        "Vì sao không nên dùng một mật khẩu cho tất cả tài khoản?",
        [
            ("Lộ mật khẩu ở một nơi là mất tất cả tài khoản", True),
            ("Vì ngân hàng cấm điều đó", False),
            ("Vì điện thoại sẽ chạy chậm hơn", False),
            ("Vì một mật khẩu thì khó nhớ hơn", False),
        ],
        topic=PASSWORD,
        explanation=(
            "Mỗi tài khoản quan trọng (email, ngân hàng, Zalo, Facebook) cần một mật khẩu "
            "khác nhau, để một chỗ bị lộ không kéo theo các chỗ khác."
        ),
    ),
    q(
        "Xác minh 2 bước nghĩa là gì?",
        [
            (
                "Khi đăng nhập trên máy lạ, ngoài mật khẩu còn phải nhập mã hoặc xác nhận "
                "trên điện thoại của bạn",
                True,
            ),
            ("Phải gõ mật khẩu hai lần", False),
            ("Có hai mật khẩu ghi trên cùng một tờ giấy", False),
            ("Hai người cùng dùng chung một tài khoản", False),
        ],
        topic=PASSWORD,
        explanation="Kẻ gian có biết mật khẩu cũng không vào được nếu không có bước thứ hai.",
    ),
    q(
        "Trong phần thiết bị đang đăng nhập Zalo, bạn thấy một máy lạ. Bạn làm gì?",
        [
            ("Đăng xuất thiết bị lạ ngay và đổi mật khẩu", True),
            ("Để đó, có thể là máy của nhà mạng", False),
            ("Nhắn tin hỏi người đang dùng máy đó", False),
            ("Gỡ Zalo khỏi điện thoại của mình", False),
        ],
        topic=PASSWORD,
        explanation=(
            "Thiết bị lạ có nghĩa là tài khoản có thể đã bị chiếm: đăng xuất nó ngay, đổi mật "
            "khẩu và đặt mã khoá Zalo."
        ),
    ),
    q(
        "Những mã PIN nào nên tránh dùng? (Chọn tất cả đáp án đúng)",
        [
            ("Ngày sinh của bạn", True),
            ("111111", True),
            ("Số điện thoại của bạn", True),
            ("Một dãy 6 số chỉ mình bạn biết, không theo quy luật", False),
        ],
        kind="multiple",
        topic=PASSWORD,
        explanation=(
            "Ngày sinh, số điện thoại, dãy số giống nhau rất dễ đoán với người biết bạn hoặc "
            "nhặt được điện thoại của bạn."
        ),
    ),
    q(
        "Tin nhắn mang tên ngân hàng báo “tài khoản của quý khách bị khoá”, kèm một đường link. "
        "Bạn làm gì?",
        [
            ("Không bấm link; tự mở ứng dụng ngân hàng hoặc gọi tổng đài in sau thẻ", True),
            ("Bấm link và đăng nhập để mở khoá", False),
            ("Trả lời tin nhắn bằng mã OTP", False),
            ("Chuyển tiền sang tài khoản khác theo hướng dẫn", False),
        ],
        topic=SCAMS,
        explanation=(
            "Ngân hàng không gửi đường link yêu cầu đăng nhập qua tin nhắn. Kẻ gian còn dùng "
            "thiết bị phát sóng giả để tin nhắn hiện đúng tên ngân hàng."
        ),
    ),
    q(
        "“Chúc mừng bạn trúng xe máy, hãy nộp phí vận chuyển để nhận quà.” Đây là gì?",
        [
            ("Lừa đảo: không chuyển bất kỳ khoản tiền nào", True),
            ("Khuyến mại thật, nên nộp phí sớm", False),
            ("Khuyến mại thật nếu phí dưới 500 nghìn đồng", False),
            ("Cần gửi ảnh thẻ căn cước để nhận quà", False),
        ],
        topic=SCAMS,
        explanation=(
            "Không có chương trình khuyến mại thật nào bắt người trúng thưởng chuyển tiền trước "
            "vào tài khoản cá nhân."
        ),
    ),
    q(
        "Tài khoản Zalo của em trai nhắn: “Anh chuyển giúp em 5 triệu, chiều em trả.” "
        "Bạn làm gì trước?",
        [
            ("Gọi điện thoại vào số quen của em để hỏi lại", True),
            ("Chuyển ngay vì đúng là Zalo của em", False),
            ("Gọi video qua chính tài khoản Zalo đó là đủ chắc chắn", False),
            ("Chuyển trước một nửa cho an toàn", False),
        ],
        topic=SCAMS,
        explanation=(
            "Tài khoản có thể đã bị chiếm, và kẻ gian có thể gọi video vài giây bằng khuôn mặt "
            "giả. Hãy gọi vào số điện thoại quen của người thân để hỏi lại."
        ),
    ),
    q(
        "Một người đề nghị bạn “quay video khuôn mặt, quay trái, quay phải” để xác thực tài "
        "khoản. Bạn làm gì?",
        [
            ("Tuyệt đối không làm theo", True),
            ("Làm theo nếu người đó xưng là nhân viên ngân hàng", False),
            ("Làm theo nếu người đó gửi ảnh thẻ ngành", False),
            ("Quay nhanh rồi xoá video đi", False),
        ],
        topic=SCAMS,
        explanation=(
            "Chuyển khoản lớn phải xác thực bằng khuôn mặt, nên kẻ gian tìm cách lấy video "
            "khuôn mặt của bạn. Không đưa khuôn mặt cho người lạ."
        ),
    ),
    q(
        "Những thông tin nào là dữ liệu cá nhân? (Chọn tất cả đáp án đúng)",
        [
            ("Số thẻ căn cước", True),
            ("Số tài khoản ngân hàng", True),
            ("Ảnh khuôn mặt", True),
            ("Giá cà phê ở chợ huyện hôm nay", False),
        ],
        kind="multiple",
        topic=DATA,
        explanation=(
            "Dữ liệu cá nhân là thông tin gắn với một người cụ thể: họ tên, ngày sinh, số căn "
            "cước, số điện thoại, số tài khoản, ảnh khuôn mặt, thông tin sức khoẻ…"
        ),
    ),
    q(
        "Luật Bảo vệ dữ liệu cá nhân có hiệu lực từ ngày nào?",
        [("1/1/2026", True), ("1/1/2020", False), ("1/7/2024", False), ("1/1/2030", False)],
        topic=DATA,
        explanation=(
            "Luật có hiệu lực từ ngày 1/1/2026, yêu cầu cơ quan, tổ chức, cá nhân bảo vệ dữ "
            "liệu cá nhân mà mình thu thập và sử dụng."
        ),
    ),
    q(
        "Trưởng thôn có danh sách hộ kèm số căn cước của bà con. Cách gửi nào đúng?",
        [
            ("Chỉ gửi riêng cho người có trách nhiệm", True),
            ("Đăng vào nhóm Zalo chung của thôn cho tiện", False),
            ("In ra dán ở nhà văn hoá thôn", False),
            ("Đăng lên Facebook để mọi người tự kiểm tra", False),
        ],
        topic=DATA,
        explanation=(
            "Danh sách có số căn cước, ngày sinh, số tài khoản chỉ gửi riêng cho người có "
            "trách nhiệm; đăng vào nhóm chung là làm lộ dữ liệu của cả thôn."
        ),
    ),
    q(
        "Khi buộc phải gửi ảnh chụp thẻ căn cước, bạn nên làm gì?",
        [
            ("Ghi thêm mục đích và ngày lên ảnh, ví dụ “Chỉ dùng để đăng ký lớp học”", True),
            ("Gửi ảnh gốc, không ghi gì", False),
            ("Đăng công khai để ai cần thì lấy", False),
            ("Gửi kèm mã OTP để xác minh", False),
        ],
        topic=DATA,
        explanation=(
            "Ghi mục đích lên ảnh khiến kẻ gian khó dùng ảnh đó vào việc khác, như mở tài "
            "khoản hay vay tiền đứng tên bạn."
        ),
    ),
    q(
        "Trường hợp khẩn cấp, bạn gọi số nào để báo công an?",
        [("113", True), ("114", False), ("115", False), ("1080", False)],
        topic=AFTER,
        explanation=(
            "113 là số công an; 114 là cứu hoả, 115 là cấp cứu. Cuộc gọi, tin nhắn có dấu hiệu "
            "lừa đảo có thể phản ánh tới tổng đài 156 hoặc 5656."
        ),
    ),
    q(
        "Một người hứa “lấy lại tiền bị lừa” cho bạn nếu bạn trả trước một khoản phí. Đó là gì?",
        [
            ("Lần lừa đảo thứ hai", True),
            ("Dịch vụ hợp pháp của ngân hàng", False),
            ("Cách nhanh nhất để lấy lại tiền", False),
            ("Việc của công an xã", False),
        ],
        topic=AFTER,
        explanation=(
            "Không tin ai hứa lấy lại tiền nếu trả phí. Hãy trình báo công an và mang theo bằng "
            "chứng: ảnh tin nhắn, số điện thoại, số tài khoản, biên lai giao dịch."
        ),
    ),
]

PRODUCT = "Ảnh và mô tả sản phẩm"
SELLING = "Bán trên Zalo, Facebook và sàn"
PAYMENT = "Thanh toán, giao hàng và sổ sách"

THUONG_MAI_DIEN_TU = [
    q(
        "OCOP là chương trình gì?",
        [
            ("Chương trình Mỗi xã một sản phẩm", True),
            ("Một sàn thương mại điện tử của bưu điện", False),
            ("Chuẩn mã QR chuyển khoản", False),
            ("Một loại thuế của hộ kinh doanh", False),
        ],
        topic=PRODUCT,
        explanation=(
            "OCOP là Chương trình Mỗi xã một sản phẩm; sản phẩm được xếp hạng từ 3 đến 5 sao và "
            "dễ bán qua mạng hơn."
        ),
    ),
    q(
        "Sản phẩm nào dễ bán qua mạng? (Chọn tất cả đáp án đúng)",
        [
            ("Gọn nhẹ", True),
            ("Bảo quản được lâu", True),
            ("Khó hỏng khi vận chuyển", True),
            ("Dễ dập nát, phải dùng trong ngày", False),
        ],
        kind="multiple",
        topic=PRODUCT,
        explanation=(
            "Hàng gửi đi xa nhiều ngày: nên chọn sản phẩm gọn nhẹ, bảo quản lâu, khó hỏng và "
            "có nguồn hàng đều đặn."
        ),
    ),
    q(
        "Chỉnh ảnh sản phẩm trước khi đăng, cách nào đúng?",
        [
            ("Cắt ảnh, tăng sáng nhẹ, giữ đúng màu sản phẩm", True),
            ("Đổi màu cho tươi hơn để dễ bán", False),
            ("Dùng ảnh đẹp trên mạng thay cho ảnh thật", False),
            ("Thêm thật nhiều chữ và hình trang trí", False),
        ],
        topic=PRODUCT,
        explanation=(
            "Khăn đỏ sẫm mà ảnh lên đỏ tươi thì khách nhận hàng sẽ thất vọng và đánh giá xấu."
        ),
    ),
    q(
        "Làm sao để người mua hình dung được kích thước sản phẩm qua ảnh?",
        [
            ("Chụp sản phẩm đặt cạnh một vật quen thuộc", True),
            ("Chụp thật gần cho rõ", False),
            ("Bật đèn flash khi chụp", False),
            ("Chụp lúc nắng gắt buổi trưa", False),
        ],
        topic=PRODUCT,
        explanation=(
            "Ảnh đặt cạnh một vật quen thuộc (bàn tay, cái chén…) giúp khách hình dung kích "
            "thước; nhớ chụp đủ góc: toàn bộ, cận cảnh, bao bì có nhãn."
        ),
    ),
    q(
        "Bán hàng trên Facebook, nên dùng cách nào?",
        [
            ("Lập một Trang riêng cho cửa hàng", True),
            ("Bán bằng trang cá nhân", False),
            ("Bình luận quảng cáo vào bài của người lạ", False),
            ("Tham gia nhóm “việc nhẹ lương cao”", False),
        ],
        topic=SELLING,
        explanation=(
            "Trang riêng ghi rõ tên cửa hàng, địa chỉ, số điện thoại, giờ trả lời tin nhắn; "
            "đăng đều đặn 2–3 bài mỗi tuần."
        ),
    ),
    q(
        "Tài khoản Zalo kinh doanh (Zalo Business) giúp người bán điều gì?",
        [
            ("Có danh mục sản phẩm với ảnh, giá, mô tả cho khách xem", True),
            ("Được miễn thuế", False),
            ("Zalo tự giao hàng cho khách", False),
            ("Không phải trả lời tin nhắn của khách", False),
        ],
        topic=SELLING,
        explanation="Khách bấm vào danh mục là xem được ảnh, giá và mô tả từng sản phẩm.",
    ),
    q(
        "Để mở gian hàng trên sàn thương mại điện tử, thường cần những gì? "
        "(Chọn tất cả đáp án đúng)",
        [
            ("Số điện thoại và email", True),
            ("Thẻ căn cước", True),
            ("Tài khoản ngân hàng đứng tên mình", True),
            ("Mật khẩu Zalo của người thân", False),
        ],
        kind="multiple",
        topic=SELLING,
        explanation=(
            "Với thực phẩm còn cần giấy tờ an toàn thực phẩm; đọc kỹ mức phí sàn thu trên mỗi "
            "đơn trước khi đặt giá bán."
        ),
    ),
    q(
        "Một khách chê sản phẩm trong phần đánh giá. Bạn làm gì?",
        [
            ("Trả lời lịch sự; nếu hàng lỗi thì xin lỗi và đổi hoặc hoàn tiền", True),
            ("Mua đánh giá khen để át đi", False),
            ("Dùng tài khoản ảo tự khen sản phẩm", False),
            ("Nhắn tin mắng khách", False),
        ],
        topic=SELLING,
        explanation=(
            "Người mua sau sẽ thấy bạn có trách nhiệm. Đánh giá giả có thể khiến sàn khoá gian "
            "hàng và khách mất lòng tin."
        ),
    ),
    q(
        "Có người xưng là nhân viên sàn, đòi bạn đóng “phí kích hoạt gian hàng” qua một đường "
        "link. Bạn làm gì?",
        [
            ("Không bấm link, không chuyển tiền; chỉ làm việc trong ứng dụng chính thức", True),
            ("Chuyển phí ngay để gian hàng không bị khoá", False),
            ("Bấm link và đăng nhập bằng tài khoản sàn", False),
            ("Gửi mã OTP để họ kích hoạt hộ", False),
        ],
        topic=SELLING,
        explanation=(
            "Đây là thủ đoạn lừa người bán. Mọi đơn hàng và khoản phí chỉ xử lý trong ứng dụng "
            "chính thức của sàn."
        ),
    ),
    q(
        "VietQR là gì?",
        [
            ("Chuẩn mã QR chung để chuyển khoản giữa các ngân hàng ở Việt Nam", True),
            ("Ứng dụng riêng của một ngân hàng", False),
            ("Một loại thẻ tín dụng", False),
            ("Một sàn bán hàng trực tuyến", False),
        ],
        topic=PAYMENT,
        explanation=(
            "Khách dùng ứng dụng của bất kỳ ngân hàng nào quét mã VietQR của bạn là tiền vào "
            "thẳng tài khoản, không cần gõ số tài khoản."
        ),
    ),
    q(
        "Gói cà phê bán 110.000 đồng; nguyên liệu 60.000, túi và nhãn 8.000, hộp và băng dính "
        "5.000 đồng; sàn thu phí 10% giá bán. Bạn còn lại bao nhiêu mỗi gói?",
        [
            ("26.000 đồng", True),
            ("37.000 đồng", False),
            ("50.000 đồng", False),
            ("11.000 đồng", False),
        ],
        topic=PAYMENT,
        explanation=(
            "Phí sàn là 11.000 đồng: 110.000 − 60.000 − 8.000 − 5.000 − 11.000 = 26.000 đồng, "
            "chưa tính công làm và thuế."
        ),
    ),
    q(
        "Đóng gói hồ tiêu để gửi đi xa, cách nào đúng?",
        [
            ("Phơi thật khô, đựng túi kín hai lớp", True),
            ("Đựng túi giấy để hạt thoáng khí", False),
            ("Đóng chung túi với cà phê cho tiết kiệm", False),
            ("Đóng khi hạt còn ẩm cho nặng cân", False),
        ],
        topic=PAYMENT,
        explanation="Túi kín hai lớp giữ tiêu không ẩm mốc và không bay mùi sang hàng khác.",
    ),
    q(
        "Vì sao nên chụp ảnh kiện hàng trước khi gửi?",
        [
            ("Để làm bằng chứng nếu có khiếu nại", True),
            ("Để sàn giảm phí vận chuyển", False),
            ("Vì bưu điện bắt buộc phải có ảnh", False),
            ("Để khỏi phải ghi phiếu gửi hàng", False),
        ],
        topic=PAYMENT,
        explanation=(
            "Ảnh kiện hàng (và phiếu gửi) cho thấy bạn đã gửi đúng hàng, đóng gói cẩn thận."
        ),
    ),
    q(
        "Từ năm 2026, hộ kinh doanh nộp thuế theo cách nào?",
        [
            ("Tự kê khai theo doanh thu thực tế; thuế khoán được bỏ", True),
            ("Nộp một mức thuế khoán cố định mỗi năm", False),
            ("Bán qua mạng thì không bao giờ phải nộp thuế", False),
            ("Nộp theo số đơn hàng, không cần ghi sổ", False),
        ],
        topic=PAYMENT,
        explanation=(
            "Thuế khoán được bỏ; hộ kinh doanh tự kê khai theo doanh thu thực tế, nên cần ghi "
            "sổ thu chi và giữ hoá đơn, phiếu gửi hàng, sao kê."
        ),
    ),
    q(
        "Vì sao phải kiểm tra thường xuyên mã QR nhận tiền dán ở quầy hàng?",
        [
            ("Để không bị kẻ gian dán đè một mã khác lên", True),
            ("Vì mã QR tự hết hạn sau mỗi ngày", False),
            ("Để ngân hàng không thu phí", False),
            ("Vì khách không quét được mã cũ", False),
        ],
        topic=PAYMENT,
        explanation=(
            "Kẻ gian có thể dán mã của chúng đè lên mã của bạn để nhận tiền khách trả; và chỉ "
            "giao hàng khi chính ứng dụng ngân hàng của bạn báo tiền đã vào."
        ),
    ),
]

GREETING = "Chào hỏi và xưng hô"
NUMBERS = "Số đếm, thời gian, gia đình và làng"
CUSTOMS = "Họp làng và phong tục"

TIENG_JRAI = [
    q(
        "Từ “kâo” trong tiếng Jrai nghĩa là gì?",
        [
            ("tôi", True),
            ("anh, chị (người đang nói với mình)", False),
            ("nhà", False),
            ("làng", False),
        ],  # fmt: skip
        topic=GREETING,
        explanation="kâo – tôi; ih – anh, chị, bạn (người đang nói chuyện với mình).",
    ),
    q(
        "Muốn gọi ai đó bằng tiếng Jrai, bạn đặt tiếng nào trước từ xưng hô hoặc tên?",
        [("Ơ", True), ("Ka", False), ("Ƀu", False), ("Sa", False)],
        topic=GREETING,
        explanation="Ví dụ Ơ ama! – gọi người đáng tuổi cha; Ơ Hồng! – “Hồng ơi!”.",
    ),
    q(
        "Câu “Anăn kâo lĕ …” nghĩa là gì?",
        [
            ("Tên tôi là …", True),
            ("Nhà tôi ở …", False),
            ("Tôi là giáo viên", False),
            ("Không xa", False),
        ],
        topic=GREETING,
        explanation=(
            "Anăn kâo lĕ … – Tên tôi là …; Kâo jing nai pơtô – Tôi là giáo viên; Ƀu ataih ôh – "
            "Không xa."
        ),
    ),
    q(
        "Tiếng Jrai thuộc ngữ hệ nào?",
        [
            ("Nam Đảo", True),
            ("Môn – Khmer", False),
            ("Hán – Tạng", False),
            ("Tày – Thái", False),
        ],  # fmt: skip
        topic=GREETING,
        explanation=(
            "Tiếng Jrai thuộc ngữ hệ Nam Đảo, gần với tiếng Ê-đê, Chăm, Raglai, Chu-ru, nên "
            "không có thanh điệu như tiếng Việt."
        ),
    ),
    q(
        "Số 8 trong tiếng Jrai là gì?",
        [("sapăn", True), ("duapăn", False), ("tơjuh", False), ("pluh", False)],
        topic=NUMBERS,
        explanation=(
            "sapăn (8) bắt đầu bằng sa, duapăn (9) bắt đầu bằng dua; tơjuh là 7, pluh là 10."
        ),
    ),
    q(
        "“dua pluh” là số mấy?",
        [("20", True), ("12", False), ("2", False), ("200", False)],
        topic=NUMBERS,
        explanation="dua là 2, pluh là 10: số tròn chục ghép với pluh, dua pluh là 20.",
    ),
    q(
        "“klâo hrơi” nghĩa là gì?",
        [("ba ngày", True), ("ba tháng", False), ("ba năm", False), ("ba giờ", False)],
        topic=NUMBERS,
        explanation="hrơi – ngày, blan – tháng, thun – năm, mông – giờ; số đứng trước.",
    ),
    q(
        "Khi đếm người, tiếng Jrai dùng từ nào (giống “người”, “cái” trong tiếng Việt)?",
        [("čô", True), ("prăk", False), ("thun", False), ("blan", False)],
        topic=NUMBERS,
        explanation="Ví dụ sa čô mơnuih – một người; nam čô – sáu người.",
    ),
    q(
        "“tha plơi” là ai?",
        [
            ("Già làng", True),
            ("Dân làng", False),
            ("Giáo viên", False),
            ("Y sĩ, bác sĩ", False),
        ],
        topic=NUMBERS,
        explanation=(
            "plơi – làng; ană plơi – dân làng; tha plơi – già làng. Khi đến làm việc, nên gặp và "
            "hỏi ý kiến cả trưởng thôn và già làng."
        ),
    ),
    q(
        "Chữ “Ia” trong tên Ia Grai, Ia Pa nghĩa là gì?",
        [("nước, sông suối", True), ("núi", False), ("rẫy", False), ("làng", False)],
        topic=NUMBERS,
        explanation="ia – nước, sông suối; hma – rẫy; plơi – làng.",
    ),
    q(
        "Khi nói tiếng Việt trong cuộc họp làng, cách nào giúp bà con hiểu? "
        "(Chọn tất cả đáp án đúng)",
        [
            ("Nói chậm, câu ngắn, mỗi câu một ý", True),
            ("Nói “thẻ căn cước” thay vì “CCCD”", True),
            ("Nhờ người phiên dịch người Jrai được bà con tin cậy", True),
            ("Dùng nhiều chữ viết tắt cho nhanh", False),
        ],
        kind="multiple",
        topic=CUSTOMS,
        explanation=(
            "Tránh từ khó và chữ viết tắt, gặp người phiên dịch trước để thống nhất cách nói, "
            "và mời một người nhắc lại để chắc bà con hiểu."
        ),
    ),
    q(
        "Ở bộ phận một cửa, ghi họ tên một người Jrai thế nào?",
        [
            ("Đúng theo giấy tờ tuỳ thân, giữ đúng chữ và dấu như Rơ Châm, Ksor, H’", True),
            ("Bỏ dấu cho dễ gõ", False),
            ("Viết theo cách cán bộ nghe được", False),
            ("Chỉ ghi tên, bỏ họ cho ngắn", False),
        ],
        topic=CUSTOMS,
        explanation="Tên ghi sai chữ, sai dấu thì hồ sơ không khớp với giấy tờ tuỳ thân.",
    ),
    q(
        "Cầu thang một nhà trong làng có treo cành lá. Điều đó thường có nghĩa là gì?",
        [
            ("Gia đình đang kiêng, báo người ngoài không vào", True),
            ("Gia đình mời khách vào chơi", False),
            ("Nhà đang bán hàng", False),
            ("Nhà vừa được xây xong", False),
        ],
        topic=CUSTOMS,
        explanation=(
            "Khi trong nhà có người ốm, sản phụ mới sinh hoặc đang cúng, gia đình treo dấu hiệu "
            "kiêng. Hỏi trưởng thôn về các dấu hiệu kiêng của làng mình."
        ),
    ),
    q(
        "Bạn đang làm nhiệm vụ và được chủ nhà mời rượu cần (tơpai). Bạn làm gì?",
        [
            ("Cảm ơn và xin phép từ chối khéo", True),
            ("Uống thật nhiều cho chủ nhà vui", False),
            ("Từ chối thẳng rồi đi về", False),
            ("Tự rót rượu mời lại cả làng", False),
        ],
        topic=CUSTOMS,
        explanation=(
            "Được mời rượu cần là được đón tiếp; khi làm nhiệm vụ hoặc phải lái xe, hãy cảm ơn "
            "và xin phép từ chối khéo."
        ),
    ),
    q(
        "Không gian văn hoá Cồng chiêng Tây Nguyên được tổ chức nào công nhận là di sản văn hoá "
        "phi vật thể của nhân loại?",
        [
            ("UNESCO", True),
            ("ASEAN", False),
            ("Ngân hàng Thế giới", False),
            ("Liên hợp quốc về phát triển (UNDP)", False),
        ],  # fmt: skip
        topic=CUSTOMS,
        explanation=(
            "UNESCO đã công nhận Không gian văn hoá Cồng chiêng Tây Nguyên. Không tự ý đánh thử "
            "cồng chiêng của làng."
        ),
    ),
    q(
        "Bà con hỏi về một chính sách mà bạn chưa chắc. Bạn làm gì?",
        [
            ("Nói thật là sẽ hỏi lại, rồi trả lời đúng hẹn", True),
            ("Hứa đại cho bà con yên tâm", False),
            ("Nói là không biết rồi thôi", False),
            ("Bảo bà con tự tìm trên mạng", False),
        ],
        topic=CUSTOMS,
        explanation=(
            "Lời hứa của cán bộ được bà con nhớ rất lâu; giữ chữ tín là cách tôn trọng tốt nhất."
        ),
    ),
]

MORE_QUESTIONS = {
    "tin-hoc-co-ban": TIN_HOC_CO_BAN,
    "an-toan-thong-tin": AN_TOAN_THONG_TIN,
    "thuong-mai-dien-tu": THUONG_MAI_DIEN_TU,
    "tieng-jrai-cho-can-bo": TIENG_JRAI,
}
