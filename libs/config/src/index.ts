export { AppConfig, ConfigValidationError, loadConfig, RedisNode, RedisTopology } from './app-config';
export { APP_CONFIG, ConfigModule } from './config.module';
