//! Page components, one per file. They are thin: they read domain types from the app state and
//! render them; the logic lives in `domain/`.

pub mod check_field;
pub mod compare;
pub mod demo_banner;
pub mod error_box;
pub mod field_error;
pub mod input_thumbs;
pub mod kept_videos;
pub mod lang_switch;
pub mod later;
pub mod lookup_box;
pub mod media_field;
pub mod model_prices;
pub mod problems_banner;
pub mod reference_list;
pub mod settings_panel;
pub mod share_box;
pub mod spend_table;
pub mod task_card;
pub mod task_form;
pub mod task_list;
pub mod text;
pub mod theme_switch;
pub mod toast_area;
pub mod welcome;
